"""The navigation entries of haihe.panels (haihe.core.nav)."""

from django.utils.translation import gettext_lazy as _

from haihe.accounts.roles import Role
from haihe.core import nav

BUREAU = {Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER}

nav.register(
    nav.Entry("panels:tasks", _("评审任务"), nav.CERTIFICATION, allowed={Role.EXPERT}, order=10),
    nav.Entry("panels:index", _("评审专家组"), nav.CERTIFICATION, allowed=BUREAU, order=20),
    nav.Entry("panels:experts", _("专家库"), nav.CERTIFICATION, allowed=BUREAU, order=30),
)
