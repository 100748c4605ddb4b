"""The lifecycles of a claim, a payment batch and a payment line, declared once (core.workflow)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.accounts.roles import ORG_ROLES, Role
from haihe.core.workflow import Transition, Workflow
from haihe.subsidies import perms

ORG = frozenset(ORG_ROLES)
DISTRICT = frozenset({Role.DISTRICT_REVIEWER})
MUNICIPAL = frozenset({Role.MUNICIPAL_REVIEWER})
BUREAU = frozenset({Role.BUREAU_ADMIN})


def _own_claim(user, claim) -> str | None:
    if user.organisation_id != claim.organisation_id:
        return _("只能操作本单位的申领。")
    return None


def _submittable(user, claim) -> str | None:
    refusal = _own_claim(user, claim)
    if refusal:
        return refusal
    if not claim.lines.filter(status="included").exists():
        return _("申领中没有符合条件的明细，不能提交。")
    return None


claim_workflow = Workflow("subsidy_claim")
for _name, _sources, _target, _roles, _label, _guard, _reason in [
    ("submit", ("draft",), "submitted", ORG, gettext_lazy("提交"), _submittable, False),
    (
        "resubmit",
        ("returned",),
        "submitted",
        ORG,
        gettext_lazy("修改后重新提交"),
        _submittable,
        False,
    ),
    ("withdraw", ("draft", "returned"), "withdrawn", ORG, gettext_lazy("撤回"), _own_claim, False),
    (
        "district_approve",
        ("submitted",),
        "district_approved",
        DISTRICT,
        gettext_lazy("区级审核通过"),
        perms.district_review_refusal,
        False,
    ),
    (
        "district_return",
        ("submitted",),
        "returned",
        DISTRICT,
        gettext_lazy("退回修改"),
        perms.district_review_refusal,
        True,
    ),
    (
        "district_reject",
        ("submitted",),
        "rejected",
        DISTRICT,
        gettext_lazy("不予补贴"),
        perms.district_review_refusal,
        True,
    ),
    (
        "municipal_approve",
        ("district_approved",),
        "approved",
        MUNICIPAL,
        gettext_lazy("市级审核通过"),
        perms.municipal_review_refusal,
        False,
    ),
    (
        "municipal_return",
        ("district_approved",),
        "returned",
        MUNICIPAL,
        gettext_lazy("退回修改"),
        perms.municipal_review_refusal,
        True,
    ),
    (
        "municipal_reject",
        ("district_approved",),
        "rejected",
        MUNICIPAL,
        gettext_lazy("不予补贴"),
        perms.municipal_review_refusal,
        True,
    ),
    ("mark_paid", ("approved",), "paid", BUREAU, gettext_lazy("登记已支付"), None, False),
]:
    claim_workflow.add(
        Transition(_name, _sources, _target, _roles, _label, guard=_guard, needs_reason=_reason)
    )

APPROVALS = ("district_approve", "municipal_approve")
RETURNS = ("district_return", "municipal_return")
REJECTIONS = ("district_reject", "municipal_reject")

batch_workflow = Workflow("payment_batch")
batch_workflow.add(
    Transition("export", ("draft",), "exported", BUREAU, gettext_lazy("导出支付文件"))
)
batch_workflow.add(Transition("cancel", ("draft",), "cancelled", BUREAU, gettext_lazy("取消批次")))


def _all_results(user, batch) -> str | None:
    if batch.lines.filter(status="pending", live=True).exists():
        return _("还有未登记结果的支付明细。")
    return None


batch_workflow.add(
    Transition("close", ("exported",), "closed", BUREAU, gettext_lazy("办结"), guard=_all_results)
)

payment_workflow = Workflow("payment_line")


def _batch_exported(user, line) -> str | None:
    if line.batch.status != "exported":
        return _("支付文件导出后才能登记结果。")
    return None


payment_workflow.add(
    Transition(
        "record_paid", ("pending",), "paid", BUREAU, gettext_lazy("已支付"), guard=_batch_exported
    )
)
payment_workflow.add(
    Transition(
        "record_failed",
        ("pending",),
        "failed",
        BUREAU,
        gettext_lazy("支付失败"),
        guard=_batch_exported,
        needs_reason=True,
    )
)
