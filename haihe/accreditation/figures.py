"""Headline figures of accreditation (stable names, by district and month): recognitions in
force on the day, new centres of the year, and the "1+N" platforms from their selection."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haihe.accreditation.models import Kind, Recognition
from haihe.core.figures import end_of
from haihe.registry.figures import count_figure
from haihe.registry.models import OrgKind


def in_force(kind: str, as_of: datetime.date):
    """Recognitions of `kind` in force on `as_of` (granted by then, within validity, and not
    suspended, revoked or renewed by then)."""
    return Recognition.objects.filter(
        Q(status="active") | Q(status_since__gt=as_of),
        kind=kind,
        granted_at__lte=end_of(as_of),
        valid_from__lte=as_of,
        valid_until__gte=as_of,
    )


def _centres_recognised(as_of):
    return Recognition.objects.filter(
        kind=Kind.ENTERPRISE_TRAINING_CENTRE,
        source="application",
        granted_at__year=as_of.year,
        granted_at__lte=end_of(as_of),
    )


def _platforms(as_of):
    from haihe.xapi.auth import selection_in_force_q
    from haihe.xapi.models import PlatformSelection

    return PlatformSelection.objects.filter(
        selection_in_force_q(as_of), selected_at__lte=end_of(as_of)
    )


def _bodies(org_kind):
    return lambda as_of: in_force(Kind.EVALUATION_BODY, as_of).filter(holder__kinds__kind=org_kind)


_FIGURES = [
    ("enterprise_training_centres_recognised", _("新认定企业培训中心（当年）"),
     _centres_recognised),
    ("enterprise_training_centres_total", _("企业培训中心"),
     lambda as_of: in_force(Kind.ENTERPRISE_TRAINING_CENTRE, as_of)),
    ("high_skill_training_bases", _("高技能人才培训基地"),
     lambda as_of: in_force(Kind.HIGH_SKILL_BASE, as_of)),
    ("master_studios", _("技能大师工作室"), lambda as_of: in_force(Kind.MASTER_STUDIO, as_of)),
    ("evaluation_bodies_filed_enterprises", _("备案评价机构（企业）"), _bodies(OrgKind.ENTERPRISE)),
    ("evaluation_bodies_filed_schools", _("备案评价机构（技工院校）"),
     _bodies(OrgKind.TECHNICAL_SCHOOL)),
]  # fmt: skip
for _order, (_key, _label, _rows) in enumerate(_FIGURES, start=60):
    count_figure(
        _key, _label, _rows, district_path="district__code", moment_field="granted_at", order=_order
    )
count_figure(
    "online_training_platforms",
    _("入选线上培训平台"),
    _platforms,
    district_path="organisation__district__code",
    moment_field="selected_at",
    order=24,
)
