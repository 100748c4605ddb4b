"""The sentences of haihe.schools's audit events (haihe.core.audit_display)."""

from django.utils.translation import gettext_lazy as _

from haihe.core import audit_display

audit_display.register(
    {
        "schools.major_created": _("{actor} 填写了专业设置申请 {target}"),
        "schools.major_updated": _("{actor} 修改了专业设置申请 {target}"),
        "school_major.submit": _("{actor} 提交了专业设置申请 {target}"),
        "school_major.resubmit": _("{actor} 修改后重新提交了专业设置申请 {target}"),
        "school_major.withdraw": _("{actor} 撤回了专业设置申请 {target}"),
        "school_major.district_approve": _("{actor} 区级审核通过了专业设置申请 {target}"),
        "school_major.district_return": _("{actor} 区级审核退回了专业设置申请 {target}"),
        "school_major.district_reject": _("{actor} 区级审核不予通过专业设置申请 {target}"),
        "school_major.bureau_approve": _("{actor} 市级审核通过了专业设置申请 {target}"),
        "school_major.bureau_return": _("{actor} 市级审核退回了专业设置申请 {target}"),
        "school_major.bureau_reject": _("{actor} 市级审核不予通过专业设置申请 {target}"),
        "schools.agreement_created": _("{actor} 登记了校企合作协议 {target}"),
        "schools.agreement_updated": _("{actor} 修改了校企合作协议 {target}"),
        "school_agreement.submit": _("{actor} 提交了校企合作协议 {target}"),
        "school_agreement.resubmit": _("{actor} 修改后重新提交了校企合作协议 {target}"),
        "school_agreement.withdraw": _("{actor} 撤回了校企合作协议 {target}"),
        "school_agreement.district_approve": _("{actor} 区级审核通过了校企合作协议 {target}"),
        "school_agreement.district_return": _("{actor} 区级审核退回了校企合作协议 {target}"),
        "school_agreement.district_reject": _("{actor} 区级审核不予通过校企合作协议 {target}"),
        "school_agreement.bureau_approve": _("{actor} 市级审核通过了校企合作协议 {target}"),
        "school_agreement.bureau_return": _("{actor} 市级审核退回了校企合作协议 {target}"),
        "school_agreement.bureau_reject": _("{actor} 市级审核不予通过校企合作协议 {target}"),
        "schools.pay_created": _("{actor} 填写了绩效工资增核方案 {target}"),
        "schools.pay_updated": _("{actor} 修改了绩效工资增核方案 {target}"),
        "school_performance_pay.submit": _("{actor} 提交了绩效工资增核方案 {target}"),
        "school_performance_pay.resubmit": _("{actor} 修改后重新提交了绩效工资增核方案 {target}"),
        "school_performance_pay.withdraw": _("{actor} 撤回了绩效工资增核方案 {target}"),
        "school_performance_pay.bureau_approve": _("{actor} 审核通过了绩效工资增核方案 {target}"),
        "school_performance_pay.bureau_return": _("{actor} 退回了绩效工资增核方案 {target}"),
        "school_performance_pay.bureau_reject": _("{actor} 不予通过绩效工资增核方案 {target}"),
    }
)
