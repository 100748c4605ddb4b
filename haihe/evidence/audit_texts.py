"""The sentences of haihe.evidence's audit events (haihe.core.audit_display); the event's target
is the case the file belongs to."""

from django.utils.translation import gettext_lazy as _

from haihe.core import audit_display

audit_display.register(
    {
        "evidence.attached": _("{actor} 为 {target} 上传了证明材料"),
        "evidence.removed": _("{actor} 移除了 {target} 的一份证明材料"),
    }
)
