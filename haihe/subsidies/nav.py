"""The navigation entries of haihe.subsidies (haihe.core.nav)."""

from django.utils.translation import gettext_lazy as _

from haihe.accounts.roles import ORG_ROLES, Role
from haihe.core import nav

BUREAU = {Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER}
REVIEWERS = BUREAU | {Role.DISTRICT_REVIEWER}

nav.register(
    nav.Entry("subsidies:mine", _("我的补贴"), nav.TRAINING, allowed={Role.WORKER}, order=50),
    nav.Entry("subsidies:claims", _("补贴申领"), nav.TRAINING, allowed=ORG_ROLES, order=60),
    nav.Entry("subsidies:queue", _("补贴审核"), nav.TRAINING, allowed=REVIEWERS, order=70),
    nav.Entry("subsidies:catalogue", _("补贴标准"), nav.TRAINING, allowed=BUREAU, order=80),
    nav.Entry("subsidies:totals", _("补贴对账"), nav.TRAINING, allowed=BUREAU, order=100),
)
