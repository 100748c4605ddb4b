"""The navigation entries of haihe.schools (haihe.core.nav)."""

from django.utils.translation import gettext_lazy as _

from haihe.accounts.roles import ORG_ROLES, Role
from haihe.core import nav

BUREAU = {Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER}
REVIEWERS = BUREAU | {Role.DISTRICT_REVIEWER}
SCHOOL = nav.organisation_of_kind("technical_school")

nav.register(
    nav.Entry(
        "schools:majors",
        _("专业设置"),
        nav.ACCREDITATION,
        allowed=nav.roles_and(REVIEWERS | ORG_ROLES, SCHOOL),
        order=50,
    ),
    nav.Entry(
        "schools:agreements",
        _("校企合作协议"),
        nav.ACCREDITATION,
        allowed=nav.roles_and(
            REVIEWERS | ORG_ROLES, nav.organisation_of_kind("technical_school", "enterprise")
        ),
        order=60,
    ),
    nav.Entry(
        "schools:pay",
        _("绩效工资增核"),
        nav.ACCREDITATION,
        allowed=nav.roles_and(BUREAU | ORG_ROLES, SCHOOL),
        order=70,
    ),
    nav.Entry("schools:queue", _("技工院校审核"), nav.ACCREDITATION, allowed=REVIEWERS, order=80),
    # public (no sign-in needed); in the header for those who work with it
    nav.Entry(
        "schools:register",
        _("技工院校专业目录"),
        nav.ACCREDITATION,
        allowed=REVIEWERS | ORG_ROLES,
        order=90,
    ),
)
