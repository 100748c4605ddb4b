"""The sentences of haihe.notices's audit events (haihe.core.audit_display)."""

from django.utils.translation import gettext_lazy as _

from haihe.core import audit_display

audit_display.register(
    {
        "notice.created": _("{actor} 起草了公示 {target}"),
        "notice.approve": _("{actor} 审核发布了公示 {target}"),
        "notice.withdraw": _("{actor} 撤回了公示 {target}"),
        "notice.finalise": _("公示 {target} 期满无异议，结果生效"),
        "notice.close_upheld": _("公示 {target} 期满，异议成立"),
        "objection.received": _("收到对公示的异议 {target}"),
        "objection.contact_viewed": _("{actor} 查看了异议 {target} 的联系方式"),
        "objection.investigate": _("{actor} 开始调查核实异议 {target}"),
        "objection.uphold": _("{actor} 认定异议 {target} 成立"),
        "objection.dismiss": _("{actor} 认定异议 {target} 不成立"),
    }
)
