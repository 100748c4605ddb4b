"""The navigation entries of haihe.accounts (haihe.core.nav)."""

from django.utils.translation import gettext_lazy as _

from haihe.accounts.perms import can_view_security_alerts
from haihe.accounts.roles import Role
from haihe.core import nav

nav.register(
    nav.Entry(
        "accounts:tokens",
        _("接口令牌"),
        nav.ADMINISTRATION,
        allowed={Role.BUREAU_ADMIN, Role.ORG_ADMIN},
        order=50,
    ),
    nav.Entry(
        "accounts:security_alerts",
        _("安全警报"),
        nav.ADMINISTRATION,
        allowed=can_view_security_alerts,
        order=60,
    ),
)
