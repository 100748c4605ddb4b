"""The navigation entries of haihe.policy (haihe.core.nav)."""

from django.utils.translation import gettext_lazy as _

from haihe.accounts.roles import Role
from haihe.core import nav

BUREAU = {Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER}

nav.register(
    nav.Entry("policy:parameters", _("政策参数"), nav.ADMINISTRATION, allowed=BUREAU, order=10),
    nav.Entry("policy:calendar", _("工作日历"), nav.ADMINISTRATION, allowed=BUREAU, order=20),
)
