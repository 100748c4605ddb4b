"""Technical schools' headline figures, as of a date, by district (of the school) and by month
(of the bureau's approval): the majors newly opened in the year, and the pre-technician ones
among them (2020 Tianjin: 23 and 9)."""

import datetime

from django.utils.translation import gettext_lazy as _

from haihe.core.figures import end_of
from haihe.registry.figures import count_figure
from haihe.schools.models import Major, MajorLevel


def _new_majors(as_of):
    """Majors the bureau approved in as_of's year, up to as_of."""
    return Major.objects.filter(
        status="approved",
        approved_at__gt=end_of(datetime.date(as_of.year - 1, 12, 31)),
        approved_at__lte=end_of(as_of),
    )


def _new_pre_technician_majors(as_of):
    return _new_majors(as_of).filter(level=MajorLevel.PRE_TECHNICIAN)


count_figure(
    "technical_school_new_majors",
    _("技工院校新设专业"),
    _new_majors,
    district_path="district__code",
    moment_field="approved_at",
    order=600,
)
count_figure(
    "technical_school_new_pre_technician_majors",
    _("技工院校新设预备技师专业"),
    _new_pre_technician_majors,
    district_path="district__code",
    moment_field="approved_at",
    order=601,
)
