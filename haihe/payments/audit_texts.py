"""The sentences of haihe.payments's audit events (haihe.core.audit_display)."""

from django.utils.translation import gettext_lazy as _

from haihe.core import audit_display

audit_display.register(
    {
        "payment_batch.created": _("{actor} 编制了支付批次 {target}"),
        "payment_batch.downloaded": _("{actor} 下载了支付批次 {target} 的银行文件"),
        "payment_batch.results_uploaded": _("{actor} 上传了支付批次 {target} 的银行回单"),
        "payment_batch.export": _("{actor} 导出了支付批次 {target}，等待银行回单"),
        "payment_batch.cancel": _("{actor} 取消了支付批次 {target}"),
        "payment_batch.close": _("支付批次 {target} 已办结"),
        "payment.record_paid": _("{actor} 登记支付 {target} 已到账"),
        "payment.record_failed": _("{actor} 登记支付 {target} 失败"),
    }
)
