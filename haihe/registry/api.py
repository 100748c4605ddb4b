import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from haihe.core.identifiers import normalise_ric
from haihe.registry import services
from haihe.registry.models import District, Occupation, Organisation, Person

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
    ric: str
    name: str
    district: str = Field(description="district code, e.g. 120101")
    mobile: str = ""


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


class Error(Schema):
    detail: str | dict


@router.get("/districts", response=list[DistrictOut], auth=None)
def districts(request):
    return District.objects.all()


@router.get("/occupations", response=list[OccupationOut], auth=None)
@paginate(LimitOffsetPagination)
def occupations(request, active: bool = True):
    return Occupation.objects.filter(active=active)


@router.get("/people", response=list[PersonOut])
@paginate(LimitOffsetPagination)
def people(request, q: str = "", district: str = ""):
    rows = Person.objects.visible_to(request.auth).select_related("district")
    if q:
        ric = normalise_ric(q)
        rows = rows.filter(ric=ric) if len(ric) == 18 else rows.filter(name__icontains=q)
    if district:
        rows = rows.filter(district__code=district)
    return rows


@router.get("/people/{person_id}", response={200: PersonOut, 404: Error})
def person(request, person_id: int):
    return get_object_or_404(
        Person.objects.visible_to(request.auth).select_related("district"), pk=person_id
    )


@router.post("/people", response={201: PersonOut, 202: RegistrationOut, 400: Error, 403: Error})
def person_register(request, payload: PersonIn):
    """Register a person. The bureau gets the person (201). An organisation gets 202 with what it
    sent, the same for a new RIC, a known one and a known one under another name: a registration
    neither shows it the person nor tells it whether the registry knew them."""
    district = District.objects.filter(code=payload.district).first()
    if district is None:
        return Status(
            400, {"detail": {"district": [_("未知的区：请填写区名或 6 位行政区划代码。")]}}
        )
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
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"ric": exc.messages}
        return Status(400, {"detail": detail})
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    if registration.person is not None:
        return Status(201, registration.person)
    return Status(202, registration)


@router.get("/organisations", response=list[OrganisationOut])
@paginate(LimitOffsetPagination)
def organisations(request, kind: str = "", district: str = ""):
    rows = (
        Organisation.objects.visible_to(request.auth)
        .select_related("district")
        .prefetch_related("kinds")
    )
    if kind:
        rows = rows.filter(kinds__kind=kind)
    if district:
        rows = rows.filter(district__code=district)
    return rows.distinct()


@router.get("/organisations/{org_id}", response={200: OrganisationOut, 404: Error})
def organisation(request, org_id: int):
    return get_object_or_404(
        Organisation.objects.visible_to(request.auth).select_related("district"), pk=org_id
    )
