"""/api/v1/stats/: the headline figures, for the accounts that may read them (perms), cached
per as-of date (selectors) and rate-limited per account (core.ratelimit, bucket "stats")."""

import datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from haihe.core import clock, ratelimit
from haihe.stats import selectors
from haihe.stats.perms import can_view_figures

router = Router(tags=["stats"])


class Headline(Schema):
    as_of: datetime.date
    figures: dict[str, int | float]


class Denied(Schema):
    detail: str


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str


@router.get(
    "/",
    response={200: Headline, 403: Denied, 429: Problem},
    summary="Headline figures as of a date",
    description="For the bureau and the reviewers (other accounts: 403). Cached per as-of date "
    "for a short time; limited per account (429 with Retry-After).",
)
def headline(
    request,
    as_of: Annotated[
        datetime.date | None, Query(None, ge=selectors.EARLIEST, le=selectors.LATEST)
    ] = None,
):
    if not can_view_figures(request.auth):
        raise HttpError(403, _("只有市人社局和审核员可以查看统计数据。"))
    limited = ratelimit.limit(request, "stats", user=request.auth)
    if limited is not None:
        return limited
    day = as_of or clock.today()
    return {"as_of": day, "figures": selectors.headline(day)}
