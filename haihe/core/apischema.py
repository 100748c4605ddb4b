"""Input types every router and list shares: bounded ids and pages, strict dates and times, and
the filters of a list.

A list's filters are declared once, as a ninja FilterSchema (`ListFilter`): the API takes them
as query parameters and the page's filter bar reads the same class through `filter_page`, so a
value is refused in both or in neither. What the OpenAPI document can state (types, enums,
bounds) is a 422 naming the parameter; what depends on the data (a district code that does not
exist, a period that ends before it starts) is a 400 naming it. FilterSchema rather than
django-filter: it is part of django-ninja (no new dependency), its fields are the OpenAPI
parameters as they are, and its refusals are pydantic errors like every other parameter's, so
one translation serves both."""

import datetime
import re
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, BeforeValidator, ValidationError, WithJsonSchema

from haihe.core.problems import from_django, from_ninja
from haihe.core.validation import FIRST_DAY, LAST_DAY  # noqa: F401  (re-exported)

# The largest value a database id (BigAutoField) holds: anything above cannot name a row, and
# SQLite refuses to bind it (OverflowError -> 500).
MAX_ID = 2**63 - 1
# A list is read page by page; an offset beyond this is not a person's request.
MAX_OFFSET = 10_000_000

Id = Annotated[int, Field(ge=1, le=MAX_ID)]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")
_LOCAL_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def _iso_date(value):
    """YYYY-MM-DD only (pydantic would read "0" as 1970-01-01, a Unix timestamp)."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError(_("应为日期（YYYY-MM-DD）。"))
    return value


def _iso_moment(value):
    """An ISO 8601 date and time (not a Unix timestamp); without an offset, local time."""
    if isinstance(value, str) and not _ISO_MOMENT.fullmatch(value):
        raise ValueError(_("应为日期时间（ISO 8601）。"))
    return value


def _aware(value):
    if isinstance(value, datetime.datetime) and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _local_time(value):
    """HH:MM[:SS], the wall-clock time of the venue: an offset or a fraction is refused."""
    if isinstance(value, str) and not re.fullmatch(_LOCAL_TIME, value):
        raise ValueError(_("请填写当地时间（HH:MM），不带时区。"))
    if isinstance(value, datetime.time) and value.tzinfo is not None:
        raise ValueError(_("请填写当地时间（HH:MM），不带时区。"))
    return value


Day = Annotated[datetime.date, BeforeValidator(_iso_date)]
Moment = Annotated[datetime.datetime, BeforeValidator(_iso_moment), AfterValidator(_aware)]
LocalTime = Annotated[
    datetime.time,
    BeforeValidator(_local_time),
    WithJsonSchema({"type": "string", "pattern": _LOCAL_TIME}),
]


def _decimal_pattern(high: int) -> str:
    """A regular expression of the decimals 0..high with at most 2 places, for a high of the
    form d * 10**k (2000, 100000)."""
    text = str(high)
    first, zeros = int(text[0]), len(text) - 1
    assert high == first * 10**zeros, high
    below = [f"[0-9]{{1,{zeros}}}"] if zeros else ["0"]
    if first > 1:
        below.append(f"[1-{first - 1}][0-9]{{{zeros}}}")
    return rf"^({text}(\.0{{1,2}})?|({'|'.join(below)})(\.[0-9]{{1,2}})?)$"


def bounded_decimal(high: Decimal) -> type:
    """A decimal in [0, high] with at most 2 places, as a number or a string; the document says
    exactly that, so that a schema-valid value is never refused."""
    whole = len(str(int(high)))
    pattern = _decimal_pattern(int(high))
    return Annotated[
        Decimal,
        Field(ge=0, le=high, max_digits=whole + 2, decimal_places=2),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "number", "minimum": 0, "maximum": float(high), "multipleOf": 0.01},
                    {"type": "string", "pattern": pattern, "description": f"0 to {high}"},
                ]
            }
        ),
    ]


def optional(kind, *metadata):
    """An optional filter of a (constrained) type."""
    return Annotated[kind | None, *metadata] if metadata else kind | None


OptionalId = optional(Id)
OptionalDate = optional(Day)
Text = optional(Annotated[str, Field(max_length=200)])


def choice(enum, *metadata):
    """A filter taking one of a model's choices (an unknown one is refused, naming the values)."""
    return optional(enum, *metadata)


class Pagination(LimitOffsetPagination):
    """ninja's limit/offset pages with bounded numbers (an offset of 2**63 is a 422, not a 500)."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500, description="rows per page (at most 500)")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="rows to skip")


class ListFilter(FilterSchema):
    """The base of every list's filters (API query parameters and page filter bars alike).

    `codes` names the filters that take a registry code ({"district": District}): an unknown
    code is refused (400 naming the filter), not answered with an empty list. `check()` may add
    cross-field refusals; both run in `filter()`, so the API and the pages apply them alike."""

    codes: ClassVar[dict] = {}

    def check(self) -> dict[str, str]:
        return {}

    def filter(self, queryset):
        errors = {}
        for field, model in self.codes.items():
            value = getattr(self, field)
            if value is not None and not model.objects.filter(code=value).exists():
                errors[field] = [_("未知的代码“%(code)s”。") % {"code": value}]
        for field, message in self.check().items():
            errors.setdefault(field, []).append(message)
        if errors:
            raise DjangoValidationError(errors)
        return super().filter(queryset)


def page_filters(filter_class: type[FilterSchema], query) -> tuple[FilterSchema, dict]:
    """A page's filter bar read through the list's FilterSchema: (filters, problems), where
    `problems` maps each refused parameter to its message (in the user's language). A filter bar
    submits its unselected filters as empty values: those filter nothing."""
    data = {
        k: v for k, v in query.items() if k in filter_class.model_fields and str(v).strip() != ""
    }
    try:
        return filter_class.model_validate(data), {}
    except ValidationError as exc:
        errors = [dict(e, loc=("query", *e["loc"])) for e in exc.errors(include_url=False)]
        body = from_ninja(errors)
        return filter_class(), {e["field"] or "": e["message"] for e in body["errors"]}


def filter_page(request, filter_class: type[FilterSchema], rows):
    """The rows a page lists and the refused filters: filtered rows, or none at all when a filter
    was refused (the page shows the refusal in its filter bar rather than ignore the filter)."""
    filters, problems = page_filters(filter_class, request.GET)
    if problems:
        return rows.none(), problems
    try:
        return filters.filter(rows), {}
    except DjangoValidationError as exc:
        body = from_django(exc)
        return rows.none(), {e["field"] or NON_FIELD_ERRORS: e["message"] for e in body["errors"]}


@contextmanager
def renamed(**names):
    """Report a service's field errors under the API's names (`platform` -> `platform_id`)."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise DjangoValidationError(
            {names.get(field, field): errors for field, errors in exc.error_dict.items()}
        ) from exc


def refusal_summary(problems: dict) -> str:
    """The refused filters as one line (an export answers 400 with it)."""
    return _("筛选条件有误：%(problems)s") % {
        "problems": "；".join(f"{k}: {v}" if k else v for k, v in problems.items())
    }


class ReasonOut(Schema):
    """One reason of a decision the platform took (haihe.policy.rules.Reason.as_dict): the rule,
    whether it held, the sentence in the caller's language, and the dated parameter applied."""

    rule: str
    ok: bool
    message: str = Field("", description="in the caller's language (Accept-Language)")
    parameter: str | None = Field(None, description="the dated policy parameter applied")
    value: Any = None
    effective_from: datetime.date | None = None
    params: dict = {}


class ReviewDecisionIn(Schema):
    """A reviewer's decision at the stage a case waits for (haihe.review): every pipeline's API
    takes this one."""

    decision: Literal["approve", "return", "reject"]
    reason: Annotated[str, Field(max_length=2000)] = Field(
        "", description="required to return or reject"
    )
