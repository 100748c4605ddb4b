"""The filters of the supervision lists, declared once for the API and the flag queue's page."""

from typing import Annotated, Literal

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, FilterLookup

from haihe.core.apischema import ListFilter, OptionalDate, OptionalId, choice, optional
from haihe.supervision.models import FlagKind, FlagStatus, SessionStatus
from haihe.supervision.selectors import ALL_STATUSES


class HoursFilter(ListFilter):
    class_id: Annotated[OptionalId, FilterLookup("training_class_id")] = None
    platform_id: Annotated[OptionalId, FilterLookup("training_class__platform_id")] = None
    person_id: Annotated[OptionalId, FilterLookup("person_id")] = None


class SessionFilter(ListFilter):
    enrolment_id: Annotated[OptionalId, FilterLookup("enrolment_id")] = None
    status: choice(SessionStatus) = None
    date_from: Annotated[OptionalDate, FilterLookup("started_at__date__gte")] = None
    date_to: Annotated[OptionalDate, FilterLookup("started_at__date__lte")] = None

    def check(self):
        if self.date_from and self.date_to and self.date_from > self.date_to:
            return {"date_to": _("开始日期不能晚于结束日期。")}
        return {}


class FlagFilter(ListFilter):
    status: optional(Literal[(*FlagStatus.values, ALL_STATUSES)]) = Field(
        FlagStatus.OPEN,
        description="open (default), resolved, dismissed, withdrawn; all: every one",
    )
    kind: choice(FlagKind) = None
    platform_id: Annotated[OptionalId, FilterLookup("platform_id")] = None
    class_id: Annotated[OptionalId, FilterLookup("enrolment__training_class_id")] = None

    def filter_status(self, value):
        return Q() if value in (None, ALL_STATUSES) else Q(status=value)
