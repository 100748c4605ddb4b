"""Input types every router and list shares: bounded ids and pages, and the filters of a list.

A list's filters are declared once, as a ninja FilterSchema (see `ListFilter`): the API takes
them as query parameters (an unknown value is a 422 naming the parameter) and the page's filter
bar reads the same class through `page_filters` (the same refusal, shown in the filter bar).
FilterSchema rather than django-filter: it is part of django-ninja (no new dependency), its
fields are the OpenAPI parameters as they are (types, enums, bounds), and its refusals are
pydantic errors like every other parameter's, so one translation serves both."""

import datetime
from contextlib import contextmanager
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, BeforeValidator, ValidationError

from haihe.core.problems import from_ninja

# The largest value a database id (BigAutoField) holds: anything above cannot name a row, and
# SQLite refuses to bind it (OverflowError -> 500).
MAX_ID = 2**63 - 1
# A list is read page by page; an offset beyond this is not a person's request.
MAX_OFFSET = 10_000_000
# Dates a business fact may carry (a filter, an as-of date): the PRC's founding to 2100.
FIRST_DAY = datetime.date(1949, 10, 1)
LAST_DAY = datetime.date(2100, 12, 31)

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _blank_is_none(value: Any) -> Any:
    """A filter bar submits unselected filters as empty strings: they filter nothing."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


Blank = BeforeValidator(_blank_is_none)


def optional(kind, *metadata):
    """An optional filter of a (constrained) type; an empty value is no filter."""
    return Annotated[kind | None, Blank, *metadata]


BusinessDate = Annotated[datetime.date, Field(ge=FIRST_DAY, le=LAST_DAY)]
OptionalId = optional(Id)
OptionalDate = optional(BusinessDate)
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
    """The base of every list's filters (API query parameters and page filter bars alike)."""


def page_filters(filter_class: type[FilterSchema], query) -> tuple[FilterSchema, dict]:
    """A page's filter bar read through the list's FilterSchema: (filters, problems), where
    `problems` maps each refused parameter to its message (in the user's language), for the
    filter bar to show; the filters are then the defaults."""
    data = {k: v for k, v in query.items() if k in filter_class.model_fields}
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
    return (rows.none() if problems else filters.filter(rows)), problems


def known_code(model):
    """A filter naming a registry row by its code (district, occupation): an unknown code is
    refused, not answered with an empty list."""

    def check(value):
        if value is not None and not model.objects.filter(code=value).exists():
            raise ValueError(_("未知的代码“%(code)s”。") % {"code": value})
        return value

    return AfterValidator(check)


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
