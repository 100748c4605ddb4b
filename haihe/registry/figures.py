"""The registry's headline figures, and the district breakdown every module's figures use
(`count_by_district`, `count_figure`): districts are the registry's."""

import datetime
from collections.abc import Callable

from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haihe.core.figures import count_by_month, end_of, figure
from haihe.registry.models import District, Organisation, OrgKind, Person


def count_by_district(rows: QuerySet, district_path: str, *, distinct=False) -> dict[str, int]:
    """How many of `rows` fall in each district of the region (by district code); `distinct`
    when a join can repeat a row."""
    counts = dict(
        rows.values_list(district_path)
        .annotate(n=Count("id", distinct=distinct))
        .values_list(district_path, "n")
    )
    return {d.code: counts.get(d.code, 0) for d in District.objects.all()}


def count_figure(
    key: str,
    label: Promise,
    rows: Callable[[datetime.date], QuerySet],
    *,
    district_path: str,
    moment_field: str,
    is_date: bool = False,
    order: int = 100,
) -> None:
    """Register a figure that counts `rows(as_of)`, by district (`district_path`, a lookup to the
    district code) and by month (`moment_field`, a datetime or, with is_date, a date)."""
    figure(
        key,
        label,
        by_district=lambda as_of: count_by_district(rows(as_of), district_path),
        by_month=lambda as_of: count_by_month(rows(as_of), moment_field, as_of, is_date=is_date),
        order=order,
    )(lambda as_of: rows(as_of).count())


def _people(as_of):
    return Person.objects.filter(created_at__lte=end_of(as_of))


count_figure(
    "people",
    _("登记人员"),
    _people,
    district_path="district__code",
    moment_field="created_at",
    order=10,
)


def _orgs_of(kind, as_of):
    return Organisation.objects.filter(
        Q(kinds__since__isnull=True) | Q(kinds__since__lte=as_of),
        kinds__kind=kind,
        created_at__lte=end_of(as_of),
    )


_ORG_FIGURES = [
    ("organisations_enterprise", OrgKind.ENTERPRISE, _("企业"), 20),
    ("organisations_training_institution", OrgKind.TRAINING_INSTITUTION, _("培训机构"), 21),
    ("organisations_technical_school", OrgKind.TECHNICAL_SCHOOL, _("技工院校"), 22),
    ("organisations_evaluation_body", OrgKind.EVALUATION_BODY, _("评价机构"), 23),
    (
        "organisations_online_training_platform",
        OrgKind.ONLINE_TRAINING_PLATFORM,
        _("线上培训平台"),
        24,
    ),
    ("supervision_platforms", OrgKind.SUPERVISION_PLATFORM, _("线上培训监管平台"), 25),
]

for _key, _kind, _label, _order in _ORG_FIGURES:
    figure(
        _key,
        _label,
        by_district=lambda as_of, kind=_kind: count_by_district(
            _orgs_of(kind, as_of), "district__code", distinct=True
        ),
        order=_order,
    )(lambda as_of, kind=_kind: _orgs_of(kind, as_of).distinct().count())

figure("organisations", _("登记单位"), order=19)(
    lambda as_of: Organisation.objects.filter(created_at__lte=end_of(as_of)).count()
)
