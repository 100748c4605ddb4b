"""The sentences of haihe.panels's audit events (haihe.core.audit_display)."""

from django.utils.translation import gettext_lazy as _

from haihe.core import audit_display

audit_display.register(
    {
        "panel.created": _("{actor} 组建了评审专家组 {target}"),
        "panel.updated": _("{actor} 修改了专家组 {target}"),
        "panel.member_added": _("{actor} 为专家组 {target} 添加了成员"),
        "panel.member_withdrawn": _("{actor} 撤出了专家组 {target} 的一名成员"),
        "panel.chair_set": _("{actor} 指定了专家组 {target} 的组长"),
        "panel.case_added": _("{actor} 向专家组 {target} 添加了评审案卷"),
        "panel.assignments_drawn": _("{actor} 为专家组 {target} 随机分配了评审任务"),
        "panel.open": _("{actor} 宣布专家组 {target} 开始评分"),
        "panel.lock": _("{actor} 锁定了专家组 {target} 的评分"),
        "panel.sign": _("{actor} 以组长身份签署了专家组 {target} 的结果"),
        "panel.countersign": _("{actor} 签发了专家组 {target} 的结果"),
        "panel.reopen": _("{actor} 重新开放了专家组 {target} 的评分"),
        "panel.cancel": _("{actor} 撤销了专家组 {target}"),
        "panel_case.settle": _("案卷 {target} 评定完成"),
        "panel_case.spread_return": _("{actor} 因评分差异过大退回案卷 {target} 重新评分"),
        "panel_case.resume": _("案卷 {target} 恢复评分"),
        "panel_case.return": _("{actor} 退回案卷 {target} 重新评分"),
        "panel_case.withdraw": _("{actor} 撤出了案卷 {target}"),
        "panel_assignment.created": _("{actor} 分配了评审任务 {target}"),
        "panel_assignment.recuse": _("{actor} 就评审任务 {target} 申请回避"),
        "panel_assignment.cancel": _("{actor} 取消了评审任务 {target}"),
        "panel_assignment.end": _("评审任务 {target} 已结束"),
        "panel_sheet.saved": _("{actor} 保存了评分表 {target}"),
        "panel_sheet.submit": _("{actor} 提交了评分表 {target}"),
        "panel_sheet.resubmit": _("{actor} 重新提交了评分表 {target}"),
        "panel_sheet.return": _("{actor} 退回了评分表 {target}"),
        "panel_sheet.lock": _("评分表 {target} 已锁定"),
        "panel_sheet.unlock": _("评分表 {target} 已解锁"),
        "panel_sheet.void": _("评分表 {target} 已作废"),
        "panel_expert.created": _("{actor} 将 {target} 录入专家库"),
        "panel_expert.updated": _("{actor} 修改了专家 {target} 的信息"),
        "panel_expert.account_created": _("{actor} 为专家 {target} 开设了账户"),
        "panel_expert.retire": _("{actor} 将专家 {target} 出库"),
        "panel_expert.reinstate": _("{actor} 将专家 {target} 重新入库"),
        "panel_conflict.declared": _("{actor} 申报了利益冲突 {target}"),
        "panel_conflict.voided": _("{actor} 作废了利益冲突申报 {target}"),
    }
)
