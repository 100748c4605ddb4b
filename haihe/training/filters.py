"""The filters of the training lists, declared once: the API's query parameters and the filter
bars of the pages (haihe.core.apischema.page_filters) read the same classes, so an unknown value
is refused in both, naming the parameter."""

from typing import Annotated, ClassVar

from django.db.models import Q
from ninja import Field, FilterLookup

from haihe.core.apischema import (
    ListFilter,
    OptionalDate,
    OptionalId,
    Text,
    choice,
    optional,
)
from haihe.registry.models import District, Occupation
from haihe.training.models import ClassStatus, EnrolmentStatus, Mode

DistrictCode = Annotated[str, Field(max_length=6)]
OccupationCode = Annotated[str, Field(max_length=16)]
Level = Annotated[int, Field(ge=1, le=5)]


class ClassFilter(ListFilter):
    codes: ClassVar[dict] = {"district": District, "occupation": Occupation}

    status: choice(ClassStatus) = None
    district: optional(DistrictCode, FilterLookup("district__code")) = Field(
        None, description="district code of the venue, e.g. 120101"
    )
    occupation: optional(OccupationCode, FilterLookup("occupation__code")) = Field(
        None, description="occupation code, e.g. 6-18-01-01"
    )
    mode: choice(Mode) = None
    level: optional(Level) = None
    q: Text = Field(None, description="part of the class's or the organisation's name")
    start_from: Annotated[OptionalDate, FilterLookup("start_date__gte")] = None
    start_until: Annotated[OptionalDate, FilterLookup("start_date__lte")] = None

    def filter_q(self, value):
        return Q(name__icontains=value) | Q(organisation__name__icontains=value) if value else Q()


class EnrolmentFilter(ListFilter):
    class_id: Annotated[OptionalId, FilterLookup("training_class_id")] = None
    status: choice(EnrolmentStatus) = None


class OutcomeFilter(ListFilter):
    class_id: Annotated[OptionalId, FilterLookup("enrolment__training_class_id")] = None


class RefusalFilter(ListFilter):
    """The municipal reviewer's refused enrolments (a page only)."""

    codes: ClassVar[dict] = {"district": District}

    district: optional(DistrictCode, FilterLookup("training_class__district__code")) = None
