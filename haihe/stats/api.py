"""/api/v1/stats/: the headline figures, for the accounts that may read them (perms, checked
before the parameters are read), cached per as-of date (selectors) and rate-limited per account
(core.ratelimit, bucket "stats")."""

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema

from haihe.accounts.api_auth import allowed
from haihe.core import clock, ratelimit
from haihe.core.apischema import Day
from haihe.core.problems import Problem
from haihe.core.validation import day_problem
from haihe.stats import selectors
from haihe.stats.perms import can_view_figures

router = Router(tags=["stats"])


class Headline(Schema):
    as_of: datetime.date
    figures: dict[str, int | float]


@router.get(
    "/",
    response={200: Headline, 429: Problem},
    auth=allowed(can_view_figures, gettext_lazy("只有市人社局和审核员可以查看统计数据。")),
    summary="Headline figures as of a date",
    description="For the bureau and the reviewers (other accounts: 403). Cached per as-of date "
    "for a short time; limited per account (429 with Retry-After).",
)
def headline(
    request,
    as_of: Annotated[Day | None, Query(None)] = None,
):
    limited = ratelimit.limit(request, "stats", user=request.auth)
    if limited is not None:
        return limited
    # The range is a rule of the platform's dates, not of the document's types: a 400 naming
    # the parameter (core.validation), as for every other business date.
    wrong = day_problem(as_of)
    if wrong:
        raise ValidationError({"as_of": wrong})
    day = as_of or clock.today()
    return {"as_of": day, "figures": selectors.headline(day)}
