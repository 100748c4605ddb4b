"""The sentences of haihe.policy's audit events (haihe.core.audit_display)."""

from django.utils.translation import gettext_lazy as _

from haihe.core import audit_display

audit_display.register(
    {
        "calendar.year_created": _("{actor} 建立了 {target} 年工作日历"),
        "calendar.days_added": _("{actor} 在 {target} 年工作日历中添加了日期"),
        "calendar.day_voided": _("{actor} 作废了工作日历中的 {target}"),
        "parameter.value_added": _("{actor} 为政策参数 {target} 添加了新值"),
        "parameter.value_voided": _("{actor} 作废了政策参数 {target} 的一个值"),
    }
)
