"""The navigation entries of haihe.core (haihe.core.nav; nav.py there is the registry)."""

from django.utils.translation import gettext_lazy as _

from haihe.accounts.perms import can_view_audit_log
from haihe.core import nav

nav.register(
    nav.Entry(
        "core:audit", _("审计日志"), nav.ADMINISTRATION, allowed=can_view_audit_log, order=40
    ),
)
