"""The navigation entries of haihe.stats (haihe.core.nav)."""

from django.utils.translation import gettext_lazy as _

from haihe.accounts.roles import Role
from haihe.core import nav

nav.register(
    nav.Entry(
        "stats:dashboard",
        _("数据看板"),
        nav.STATISTICS,
        allowed={Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER, Role.DISTRICT_REVIEWER},
        order=10,
    ),
)
