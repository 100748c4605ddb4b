"""The filters of the accreditation lists, declared once: the API's query parameters and the
filter bars of the pages (haihe.core.apischema.filter_page) read the same classes, so an
unknown value is refused in both, naming the parameter."""

from typing import Annotated, ClassVar

from django.db.models import Q
from ninja import Field, FilterLookup

from haihe.accreditation.models import ApplicationStatus, Kind, RecognitionStatus
from haihe.core.apischema import ListFilter, OptionalDate, OptionalId, Text, choice, optional
from haihe.registry.models import District

DistrictCode = Annotated[str, Field(max_length=6)]


class ApplicationFilter(ListFilter):
    codes: ClassVar[dict] = {"district": District}

    q: Text = Field(None, description="part of the application number or the applicant's name")
    kind: choice(Kind) = None
    status: choice(ApplicationStatus) = None
    call_id: Annotated[OptionalId, FilterLookup("call_id")] = None
    district: optional(DistrictCode, FilterLookup("district__code")) = Field(
        None, description="the applicant's district code, e.g. 120101"
    )

    def filter_q(self, value):
        return Q(number__icontains=value) | Q(organisation__name__icontains=value) if value else Q()


class RecognitionFilter(ListFilter):
    codes: ClassVar[dict] = {"district": District}

    q: Text = Field(None, description="part of the recognition number or the holder's name")
    kind: choice(Kind) = None
    status: choice(RecognitionStatus) = None
    district: optional(DistrictCode, FilterLookup("district__code")) = Field(
        None, description="the holder's district code, e.g. 120101"
    )
    valid_on: OptionalDate = Field(None, description="valid on this day (YYYY-MM-DD)")

    def filter_q(self, value):
        return Q(number__icontains=value) | Q(holder__name__icontains=value) if value else Q()

    def filter_valid_on(self, value):
        return Q(valid_from__lte=value, valid_until__gte=value) if value else Q()


class RecognitionRegisterFilter(ListFilter):
    """The public register of one kind (in force today)."""

    codes: ClassVar[dict] = {"district": District}

    q: Text = Field(None, description="part of the recognition number or the holder's name")
    district: optional(DistrictCode, FilterLookup("district__code")) = Field(
        None, description="the holder's district code, e.g. 120101"
    )

    def filter_q(self, value):
        return Q(number__icontains=value) | Q(holder__name__icontains=value) if value else Q()
