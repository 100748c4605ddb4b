"""The sentences of haihe.training's audit events (haihe.core.audit_display)."""

from django.utils.translation import gettext_lazy as _

from haihe.core import audit_display

audit_display.register(
    {
        "training_class.filed": _("{actor} 填报了培训班 {target}"),
        "training_class.updated": _("{actor} 修改了培训班 {target}"),
        "training_class.submit": _("{actor} 提交了培训班 {target} 的开班备案"),
        "training_class.approve": _("{actor} 审核通过了培训班 {target} 的开班备案"),
        "training_class.return": _("{actor} 退回了培训班 {target} 的开班备案"),
        "training_class.cancel": _("{actor} 撤销了培训班 {target}"),
        "training_session.created": _("{actor} 安排了课次 {target}"),
        "attendance.recorded": _("{actor} 记录了 {target} 的考勤"),
        "outcome.recorded": _("{actor} 录入了培训成果 {target}"),
        "outcome.voided": _("{actor} 作废了培训成果 {target}"),
        "enrolment.enrolled": _("{actor} 为 {target} 办理了报名"),
        "enrolment.refused": _("{actor} 为 {target} 报名，审查不符合补贴条件"),
        "enrolment.override": _("{actor} 复核通过了报名 {target}"),
        "enrolment.withdraw": _("{actor} 为 {target} 办理了退出培训"),
        "enrolment.complete": _("报名 {target} 学时达标，已结业"),
        "enrolment.reopen": _("报名 {target} 学时回落，恢复在训"),
    }
)
