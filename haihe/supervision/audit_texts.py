"""The sentences of haihe.supervision's audit events (haihe.core.audit_display)."""

from django.utils.translation import gettext_lazy as _

from haihe.core import audit_display

audit_display.register(
    {
        "supervision_flag.raised": _("系统发出监管预警 {target}"),
        "supervision_flag.resolve": _("{actor} 处理了监管预警 {target}"),
        "supervision_flag.dismiss": _("{actor} 驳回了监管预警 {target}"),
        "supervision_flag.withdraw": _("监管预警 {target} 已自动撤销"),
        "supervision_flag.reopen": _("监管预警 {target} 重新打开"),
        "supervision.account_unlinked": _("{actor} 解除了学习账号 {target} 与人员的关联"),
    }
)
