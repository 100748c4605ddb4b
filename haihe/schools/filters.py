"""The filters of the technical-schools lists, declared once for the API and the pages."""

from typing import Annotated, ClassVar

from django.db.models import Q
from ninja import Field, FilterLookup

from haihe.core.apischema import ListFilter, Text, choice, optional
from haihe.registry.models import District, Occupation
from haihe.schools.models import YEAR_MAX, YEAR_MIN, CaseStatus, CooperationForm, MajorLevel

DistrictCode = Annotated[str, Field(max_length=6)]
OccupationCode = Annotated[str, Field(max_length=16)]
IndustryCode = Annotated[str, Field(max_length=40)]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]


class RegisterFilter(ListFilter):
    """The public register of approved majors (and the base of the majors' lists)."""

    codes: ClassVar[dict] = {"district": District, "occupation": Occupation}

    q: Text = Field(None, description="part of the number, major or school name")
    level: choice(MajorLevel) = None
    year: optional(Year, FilterLookup("start_year")) = Field(None, description="start year")
    district: optional(DistrictCode, FilterLookup("district__code")) = Field(
        None, description="the school's district code, e.g. 120101"
    )
    occupation: optional(OccupationCode, FilterLookup("occupation__code")) = None
    industry: optional(IndustryCode, FilterLookup("industry__code")) = None

    def filter_q(self, value):
        if not value:
            return Q()
        return (
            Q(number__icontains=value) | Q(name__icontains=value) | Q(school__name__icontains=value)
        )


class MajorFilter(RegisterFilter):
    """A school's majors, a reviewer's queue."""

    status: choice(CaseStatus) = None


class AgreementFilter(ListFilter):
    codes: ClassVar[dict] = {"district": District}

    q: Text = Field(None, description="part of the number, school or enterprise name")
    status: choice(CaseStatus) = None
    form: choice(CooperationForm) = None
    district: optional(DistrictCode, FilterLookup("district__code")) = None
    year: optional(Year) = Field(None, description="agreements running in that year")

    def filter_q(self, value):
        if not value:
            return Q()
        return (
            Q(number__icontains=value)
            | Q(school__name__icontains=value)
            | Q(enterprise__name__icontains=value)
        )

    def filter_year(self, value):
        if not value:
            return Q()
        return Q(start_date__year__lte=value, end_date__year__gte=value)
