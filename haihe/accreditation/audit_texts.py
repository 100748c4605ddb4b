"""The sentences of haihe.accreditation's audit events (haihe.core.audit_display)."""

from django.utils.translation import gettext_lazy as _

from haihe.core import audit_display

audit_display.register(
    {
        "accreditation.call_created": _("{actor} 起草了申报通知 {target}"),
        "accreditation_call.open": _("{actor} 发布了申报通知 {target}"),
        "accreditation_call.close": _("{actor} 截止了申报通知 {target}"),
        "accreditation_call.reopen": _("{actor} 重新开放了申报通知 {target}"),
        "accreditation.application_created": _("{actor} 填写了认定申请 {target}"),
        "accreditation.application_updated": _("{actor} 修改了认定申请 {target}"),
        "accreditation_application.submit": _("{actor} 提交了认定申请 {target}"),
        "accreditation_application.resubmit": _("{actor} 修改后重新提交了认定申请 {target}"),
        "accreditation_application.withdraw": _("{actor} 撤回了认定申请 {target}"),
        "accreditation_application.district_approve": _("{actor} 区级审核通过了认定申请 {target}"),
        "accreditation_application.district_return": _("{actor} 区级审核退回了认定申请 {target}"),
        "accreditation_application.district_reject": _("{actor} 区级审核不予通过认定申请 {target}"),
        "accreditation_application.panel_approve": _("{actor} 确认专家评审通过认定申请 {target}"),
        "accreditation_application.panel_return": _(
            "{actor} 在专家评审环节退回了认定申请 {target}"
        ),
        "accreditation_application.panel_reject": _(
            "{actor} 在专家评审环节不予通过认定申请 {target}"
        ),
        "accreditation_application.bureau_approve": _(
            "{actor} 决定通过认定申请 {target}（进入公示）"
        ),
        "accreditation_application.bureau_return": _(
            "{actor} 在市局决定环节退回了认定申请 {target}"
        ),
        "accreditation_application.bureau_reject": _("{actor} 决定不予通过认定申请 {target}"),
        "accreditation_application.grant": _("认定申请 {target} 公示期满无异议，予以认定"),
        "accreditation_application.reopen": _(
            "认定申请 {target} 的公示结果未生效，退回市局重新决定"
        ),
        "accreditation.recognition_granted": _("{target} 获得认定（备案）"),
        "accreditation.recognition_imported": _("{actor} 导入了已有的认定（备案）{target}"),
        "accreditation.recognition_changed": _("{actor} 变更了认定（备案）{target}"),
        "accreditation_recognition.suspend": _("{actor} 暂停了认定（备案）{target}"),
        "accreditation_recognition.reinstate": _("{actor} 恢复了认定（备案）{target}"),
        "accreditation_recognition.revoke": _("{actor} 撤销了认定（备案）{target}"),
        "accreditation_recognition.expire": _("认定（备案）{target} 有效期届满"),
        "accreditation_recognition.renew": _("认定（备案）{target} 已由新的认定接续"),
        "accreditation.report_submitted": _("{actor} 提交了年度报告 {target}"),
        "accreditation_report.accept": _("{actor} 审核通过了年度报告 {target}"),
        "accreditation_report.return": _("{actor} 退回了年度报告 {target}"),
        "accreditation_report.resubmit": _("{actor} 重新提交了年度报告 {target}"),
        "accreditation.change_requested": _("{actor} 提出了变更申请 {target}"),
        "accreditation_change.approve": _("{actor} 同意了变更申请 {target}"),
        "accreditation_change.reject": _("{actor} 不同意变更申请 {target}"),
    }
)
