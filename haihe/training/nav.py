"""The navigation entries of haihe.training (haihe.core.nav)."""

from django.utils.translation import gettext_lazy as _

from haihe.accounts.roles import ORG_ROLES, Role
from haihe.core import nav

BUREAU = {Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER}
REVIEWERS = BUREAU | {Role.DISTRICT_REVIEWER}

nav.register(
    nav.Entry("training:mine", _("我的培训"), nav.TRAINING, allowed={Role.WORKER}, order=10),
    nav.Entry(
        "training:classes", _("培训班"), nav.TRAINING, allowed=REVIEWERS | ORG_ROLES, order=20
    ),
    nav.Entry("training:review_queue", _("开班审核"), nav.TRAINING, allowed=REVIEWERS, order=30),
    nav.Entry("training:refusals", _("报名复核"), nav.TRAINING, allowed=BUREAU, order=40),
)
