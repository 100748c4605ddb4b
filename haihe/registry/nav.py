"""The navigation entries of haihe.registry (haihe.core.nav)."""

from django.utils.translation import gettext_lazy as _

from haihe.accounts.roles import Role
from haihe.core import nav

ALL_STAFF = {
    Role.BUREAU_ADMIN,
    Role.MUNICIPAL_REVIEWER,
    Role.DISTRICT_REVIEWER,
    Role.ORG_ADMIN,
    Role.ORG_STAFF,
}
BUREAU = {Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER}

nav.register(
    nav.Entry("registry:me", _("我的信息"), nav.REGISTRY, allowed={Role.WORKER}, order=10),
    nav.Entry("registry:people", _("人员"), nav.REGISTRY, allowed=ALL_STAFF, order=20),
    nav.Entry("registry:organisations", _("单位"), nav.REGISTRY, allowed=ALL_STAFF, order=30),
    nav.Entry("registry:occupations", _("职业目录"), nav.REGISTRY, allowed=ALL_STAFF, order=40),
    nav.Entry("registry:districts", _("行政区"), nav.REGISTRY, allowed=BUREAU, order=50),
)
