"""The navigation entries of haihe.xapi (haihe.core.nav)."""

from django.utils.translation import gettext_lazy as _

from haihe.accounts.roles import Role
from haihe.core import nav

nav.register(
    nav.Entry(
        "xapi:platform-list",
        _("线上培训平台"),
        nav.SUPERVISION,
        allowed=nav.roles_and({Role.BUREAU_ADMIN, Role.ORG_ADMIN}, nav.platform_or_staff),
        order=30,
    ),
)
