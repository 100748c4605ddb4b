"""The sentences of haihe.accounts's audit events (haihe.core.audit_display)."""

from django.utils.translation import gettext_lazy as _

from haihe.core import audit_display

audit_display.register(
    {
        "user.created": _("{actor} 创建了账户 {target}"),
        "user.logged_in": _("{actor} 登录了系统"),
        "token.issued": _("{actor} 签发了接口令牌 {target}"),
        "token.revoked": _("{actor} 吊销了接口令牌 {target}"),
        "security.login_alert": _("系统就账户的连续登录失败发出安全警报 {target}"),
        "security.alert_acknowledged": _("{actor} 确认了安全警报 {target}"),
    }
)
