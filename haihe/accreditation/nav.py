"""The navigation entries of haihe.accreditation (haihe.core.nav)."""

from django.utils.translation import gettext_lazy as _

from haihe.accounts.roles import ORG_ROLES, Role
from haihe.core import nav

BUREAU = {Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER}
REVIEWERS = BUREAU | {Role.DISTRICT_REVIEWER}

nav.register(
    nav.Entry(
        "accreditation:calls",
        _("申报通知"),
        nav.ACCREDITATION,
        allowed=ORG_ROLES | {Role.BUREAU_ADMIN},
        order=10,
    ),
    nav.Entry(
        "accreditation:applications",
        _("认定申请"),
        nav.ACCREDITATION,
        allowed=ORG_ROLES | REVIEWERS,
        order=20,
    ),
    nav.Entry("accreditation:queue", _("认定审核"), nav.ACCREDITATION, allowed=REVIEWERS, order=30),
    nav.Entry(
        "accreditation:recognitions",
        _("认定与备案结果"),
        nav.ACCREDITATION,
        allowed=ORG_ROLES | REVIEWERS,
        order=40,
    ),
    # public (no sign-in needed); in the header for those who work with it
    nav.Entry(
        "accreditation:register",
        _("认定与备案名录"),
        nav.ACCREDITATION,
        allowed=ORG_ROLES | REVIEWERS,
        order=45,
    ),
)
