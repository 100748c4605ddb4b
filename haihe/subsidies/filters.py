"""The filters of the claim lists, declared once for the API and the pages' filter bars."""

from typing import Annotated, ClassVar, Literal

from django.db.models import Q
from ninja import Field, FilterLookup

from haihe.core import clock
from haihe.core.apischema import (
    ListFilter,
    OptionalDate,
    OptionalId,
    Text,
    choice,
    optional,
)
from haihe.registry.models import District, Occupation
from haihe.subsidies.models import IN_REVIEW, ClaimStatus
from haihe.training.models import OutcomeKind

DistrictCode = Annotated[str, Field(max_length=6)]
OccupationCode = Annotated[str, Field(max_length=16)]


class ClaimFilter(ListFilter):
    codes: ClassVar[dict] = {"district": District, "occupation": Occupation}

    q: Text = Field(None, description="part of the claim number, organisation or class name")
    status: choice(ClaimStatus) = None
    training_class: Annotated[OptionalId, FilterLookup("training_class_id")] = None
    district: optional(DistrictCode, FilterLookup("district__code")) = Field(
        None, description="the reviewing district's code, e.g. 120101"
    )
    occupation: optional(OccupationCode, FilterLookup("training_class__occupation__code")) = Field(
        None, description="the class's occupation code, e.g. 6-18-01-01"
    )
    checks: optional(Literal["yes", "no"]) = Field(
        None, description="yes: with raised checks; no: without"
    )
    overdue: optional(Literal["yes", "no"]) = Field(
        None, description="yes: waiting past the stage's deadline (stage_due_on); no: within it"
    )
    since: Annotated[OptionalDate, FilterLookup("submitted_at__date__gte")] = Field(
        None, description="submitted on or after"
    )
    until: Annotated[OptionalDate, FilterLookup("submitted_at__date__lte")] = Field(
        None, description="submitted on or before"
    )

    def filter_q(self, value):
        if not value:
            return Q()
        return (
            Q(number__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(training_class__name__icontains=value)
        )

    def filter_overdue(self, value):
        in_review = Q(status__in=IN_REVIEW)
        if value == "yes":
            return in_review & Q(stage_due_on__lt=clock.today())
        if value == "no":
            return in_review & ~Q(stage_due_on__lt=clock.today())
        return Q()

    def filter_checks(self, value):
        if value == "yes":
            return Q(raised_checks__gt=0)
        if value == "no":
            return Q(raised_checks=0)
        return Q()


class CatalogueFilter(ListFilter):
    """The bureau's catalogue page."""

    codes: ClassVar[dict] = {"occupation": Occupation}

    occupation: optional(OccupationCode, FilterLookup("occupation__code")) = None
    level: optional(Annotated[int, Field(ge=1, le=5)]) = None
    kind: choice(OutcomeKind, FilterLookup("outcome_kind")) = None
    voided: optional(Literal["1"]) = Field(None, description="1: voided rows too")

    def filter_voided(self, value):
        return Q() if value == "1" else Q(voided_at__isnull=True)
