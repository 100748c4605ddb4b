"""The navigation entries of haihe.notices (haihe.core.nav)."""

from django.utils.translation import gettext_lazy as _

from haihe.accounts.roles import Role
from haihe.core import nav

nav.register(
    nav.Entry(
        "notices:manage",
        _("公示管理"),
        nav.ADMINISTRATION,
        allowed={Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER},
        order=30,
    ),
)
