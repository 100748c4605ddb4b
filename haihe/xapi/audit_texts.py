"""The sentences of haihe.xapi's audit events (haihe.core.audit_display)."""

from django.utils.translation import gettext_lazy as _

from haihe.core import audit_display

audit_display.register(
    {
        "xapi.platform_selected": _("{actor} 将线上培训平台 {target} 列入遴选名单"),
        "xapi.selection_revoked": _("{actor} 撤销了线上培训平台 {target} 的遴选"),
        "xapi.credential_issued": _("{actor} 为平台 {target} 签发了 xAPI 凭据"),
        "xapi.credential_revoked": _("{actor} 吊销了平台 {target} 的 xAPI 凭据"),
    }
)

audit_display.register(
    {
        "xapi.selection_suspended": _("{actor} 暂停了 {target} 的“1+N”线上培训平台资格"),
        "xapi.selection_resumed": _("{actor} 恢复了 {target} 的“1+N”线上培训平台资格"),
    }
)
