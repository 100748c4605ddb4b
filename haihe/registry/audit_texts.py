"""The sentences of haihe.registry's audit events (haihe.core.audit_display)."""

from django.utils.translation import gettext_lazy as _

from haihe.core import audit_display

audit_display.register(
    {
        "person.registered": _("{actor} 登记了人员 {target}"),
        "person.registration_received": _("{actor} 提交了人员 {target} 的登记"),
        "person.registration_known": _("{actor} 登记的人员 {target} 已在名册中"),
        "person.registration_name_mismatch": _("{actor} 登记的人员 {target} 姓名与名册不符"),
        "person.updated": _("{actor} 修改了人员 {target} 的信息"),
        "person.pii_viewed": _("{actor} 查看了人员 {target} 的完整身份信息"),
        "person.pii_exported": _("{actor} 导出了含完整身份信息的人员名单"),
        "person.affiliated": _("{actor} 登记了人员 {target} 的单位关系"),
        "person.key_group_added": _("{actor} 将人员 {target} 登记为重点群体"),
        "person.key_group_voided": _("{actor} 作废了人员 {target} 的重点群体登记"),
        "organisation.registered": _("{actor} 登记了单位 {target}"),
        "organisation.updated": _("{actor} 修改了单位 {target} 的信息"),
        "organisation.insurance_changed": _("{actor} 更新了单位 {target} 的参保信息"),
        "occupations.replaced": _("{actor} 更新了职业目录"),
    }
)
