"""The navigation entries of haihe.payments (haihe.core.nav)."""

from django.utils.translation import gettext_lazy as _

from haihe.accounts.roles import Role
from haihe.core import nav

nav.register(
    nav.Entry(
        "payments:batches", _("资金支付"), nav.TRAINING, allowed={Role.BUREAU_ADMIN}, order=90
    ),
)
