import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from haihe.accounts.api_auth import allowed
from haihe.core.apischema import Id, Pagination
from haihe.registry import perms, services
from haihe.registry.filters import OccupationFilter, OrganisationFilter, PersonFilter
from haihe.registry.models import District, Occupation, Organisation, Person
from haihe.registry.scopes import in_visible_key_group

router = Router(tags=["registry"])


class DistrictOut(Schema):
    code: str
    name_zh: str
    name_en: str


class OccupationOut(Schema):
    code: str
    name_zh: str
    name_en: str
    levels: list[int]
    active: bool


class PersonOut(Schema):
    id: int
    ric: str = Field(description="masked: 1201**********0017")
    name: str
    sex: str
    birth_date: datetime.date
    mobile: str = Field(description="masked")
    district: str

    @staticmethod
    def resolve_ric(obj):
        return obj.masked_ric

    @staticmethod
    def resolve_mobile(obj):
        return obj.masked_mobile

    @staticmethod
    def resolve_district(obj):
        return obj.district.code


class PersonIn(Schema):
    ric: str = Field(max_length=20)
    name: str = Field(max_length=50)
    district: str = Field(max_length=6, description="district code, e.g. 120101")
    mobile: str = Field("", max_length=20)


class RegistrationOut(Schema):
    """The answer to a registration by an organisation: only what it sent, whether the RIC was
    new to the registry or not (a registration gives it no access to anyone)."""

    status: str = Field("received", description="always received")
    ric: str = Field(description="the RIC sent, masked")
    name: str = Field(description="the name sent")
    sex: str = Field(description="from the RIC sent")
    birth_date: datetime.date = Field(description="from the RIC sent")
    district: str
    detail: str

    @staticmethod
    def resolve_district(obj):
        return obj.district.code

    @staticmethod
    def resolve_detail(obj):
        return _("登记已受理。登记不会使本单位看到该人员；本单位通过报名、录用等关系办理相关业务。")


class OrganisationOut(Schema):
    id: int
    uscc: str
    name: str
    district: str
    kinds: list[str]
    size_class: str

    @staticmethod
    def resolve_district(obj):
        return obj.district.code

    @staticmethod
    def resolve_kinds(obj):
        return [k.kind for k in obj.kinds.all()]


@router.get("/districts", response=list[DistrictOut], auth=None)
def districts(request):
    return District.objects.all()


@router.get("/occupations", response=list[OccupationOut], auth=None)
@paginate(Pagination)
def occupations(request, filters: Query[OccupationFilter]):
    return filters.filter(Occupation.objects.all())


@router.get("/people", response=list[PersonOut])
@paginate(Pagination)
def people(request, filters: Query[PersonFilter]):
    rows = filters.filter(Person.objects.visible_to(request.auth).select_related("district"))
    return in_visible_key_group(request.auth, rows, filters.key_group)


@router.get("/people/{person_id}", response=PersonOut)
def person(request, person_id: Id):
    return get_object_or_404(
        Person.objects.visible_to(request.auth).select_related("district"), pk=person_id
    )


@router.post(
    "/people",
    response={201: PersonOut, 202: RegistrationOut},
    auth=allowed(perms.can_register_person, gettext_lazy("您无权登记人员。")),
)
def person_register(request, payload: PersonIn):
    """Register a person. The bureau gets the person (201). An organisation gets 202 with what it
    sent, the same for a new RIC, a known one and a known one under another name: a registration
    neither shows it the person nor tells it whether the registry knew them."""
    district = District.objects.filter(code=payload.district).first()
    if district is None:
        raise ValidationError({"district": [_("未知的区：请填写区名或 6 位行政区划代码。")]})
    try:
        registration = services.person_register(
            actor=request.auth,
            ric=payload.ric,
            name=payload.name,
            district=district,
            mobile=payload.mobile,
            channel="api",
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({"ric": exc.messages}) from exc
    if registration.person is not None:
        return Status(201, registration.person)
    return Status(202, registration)


@router.get("/organisations", response=list[OrganisationOut])
@paginate(Pagination)
def organisations(request, filters: Query[OrganisationFilter]):
    return filters.filter(
        Organisation.objects.visible_to(request.auth)
        .select_related("district")
        .prefetch_related("kinds")
    )


@router.get("/organisations/{org_id}", response=OrganisationOut)
def organisation(request, org_id: Id):
    return get_object_or_404(
        Organisation.objects.visible_to(request.auth).select_related("district"), pk=org_id
    )
