"""The lifecycles of a payment batch and of a payment, declared once (haihe.core.workflow).

Batch: draft → exported (the bank file's first export locks it) → closed (every payment has its
result); draft → cancelled (its payables go back to the queue).
Payment: pending → paid | failed (with the bank's reason; the payable goes back to the queue),
recorded by the bureau only after the batch was exported.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.accounts.roles import Role
from haihe.core.workflow import Refusal, Transition, Workflow, not_now

BUREAU = frozenset({Role.BUREAU_ADMIN})

batch_workflow = Workflow("payment_batch", initial=("draft",))
batch_workflow.add(
    Transition("export", ("draft",), "exported", BUREAU, gettext_lazy("导出支付文件"))
)
batch_workflow.add(Transition("cancel", ("draft",), "cancelled", BUREAU, gettext_lazy("取消批次")))


def _all_results(user, batch) -> Refusal | None:
    if batch.payments.filter(status="pending", live=True).exists():
        return not_now(_("还有未登记结果的支付明细。"))
    return None


batch_workflow.add(
    Transition("close", ("exported",), "closed", BUREAU, gettext_lazy("办结"), guard=_all_results)
)


def _batch_exported(user, payment) -> Refusal | None:
    if payment.batch.status != "exported":
        return not_now(_("支付文件导出后才能登记结果。"))
    return None


payment_workflow = Workflow("payment", initial=("pending",))
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
