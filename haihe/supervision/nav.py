"""The navigation entries of haihe.supervision (haihe.core.nav)."""

from django.utils.translation import gettext_lazy as _

from haihe.accounts.roles import Role
from haihe.core import nav

REVIEWERS = {Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER, Role.DISTRICT_REVIEWER}

nav.register(
    nav.Entry(
        "supervision:index",
        _("线上培训监管"),
        nav.SUPERVISION,
        allowed=nav.roles_and(REVIEWERS | {Role.ORG_ADMIN}, nav.platform_or_staff),
        order=10,
    ),
    nav.Entry("supervision:flags", _("监管预警"), nav.SUPERVISION, allowed=REVIEWERS, order=20),
)
