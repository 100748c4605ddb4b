"""The sentences of haihe.subsidies's audit events (haihe.core.audit_display)."""

from django.utils.translation import gettext_lazy as _

from haihe.core import audit_display

audit_display.register(
    {
        "subsidy_catalogue.added": _("{actor} 添加了补贴标准 {target}"),
        "subsidy_catalogue.voided": _("{actor} 作废了补贴标准 {target}"),
        "subsidy_claim.created": _("{actor} 创建了补贴申领 {target}"),
        "subsidy_claim.submit": _("{actor} 提交了补贴申领 {target}"),
        "subsidy_claim.resubmit": _("{actor} 修改后重新提交了补贴申领 {target}"),
        "subsidy_claim.withdraw": _("{actor} 撤回了补贴申领 {target}"),
        "subsidy_claim.district_approve": _("{actor} 区级审核通过了补贴申领 {target}"),
        "subsidy_claim.district_return": _("{actor} 区级审核退回了补贴申领 {target}"),
        "subsidy_claim.district_reject": _("{actor} 区级审核不予通过补贴申领 {target}"),
        "subsidy_claim.municipal_approve": _("{actor} 市级审核通过了补贴申领 {target}"),
        "subsidy_claim.municipal_return": _("{actor} 市级审核退回了补贴申领 {target}"),
        "subsidy_claim.municipal_reject": _("{actor} 市级审核不予通过补贴申领 {target}"),
        "subsidy_claim.mark_paid": _("补贴申领 {target} 已支付（银行回单）"),
        "subsidy_claim_line.qualify": _("申领明细 {target} 重新核算后符合条件"),
        "subsidy_claim_line.disqualify": _("申领明细 {target} 重新核算后不符合条件"),
        "subsidy_claim_line.exclude": _("{actor} 剔除了申领明细 {target}"),
        "subsidy_claim_line.include": _("{actor} 恢复了申领明细 {target}"),
    }
)
