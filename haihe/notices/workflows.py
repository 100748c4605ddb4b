"""The lifecycles of a notice and of an objection, declared once (core.workflow).

A notice: draft → published (approved by a second person) → final, or objection_upheld, when
its period has ended with no objection open (system transitions, taken by the platform); a
draft or a published notice may be withdrawn with a reason.

An objection: received → investigating → upheld | dismissed, each decision with its reason
(which the objector reads); an objection may also be dismissed without investigation (e.g. it
is not about the notice). Neither the person who prepared a notice nor the one who approved it
decides an objection to it.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.accounts.roles import BUREAU_ROLES
from haihe.core.workflow import Transition, Workflow, forbidden

BUREAU = frozenset(BUREAU_ROLES)


def same_person(user, other) -> bool:
    """One person, even with two accounts: the same account, or accounts of the same person."""
    if user is None or other is None:
        return False
    if user.pk is not None and user.pk == other.pk:
        return True
    return bool(getattr(user, "person_id", None)) and user.person_id == other.person_id


def _four_eyes(user, notice):
    if same_person(user, notice.created_by):
        return forbidden(_("拟稿人不能审核发布自己起草的公示。"))
    return None


def _independent(user, objection):
    notice = objection.notice
    if same_person(user, notice.created_by) or same_person(user, notice.approved_by):
        return forbidden(_("公示的拟稿人和审核发布人不能处理针对该公示的异议。"))
    return None


notice_workflow = Workflow("notice", initial=("draft",))
notice_workflow.add(
    Transition(
        "approve",
        ("draft",),
        "published",
        BUREAU,
        gettext_lazy("审核发布"),
        guard=_four_eyes,
    )
)
notice_workflow.add(
    Transition(
        "withdraw",
        ("draft", "published"),
        "withdrawn",
        BUREAU,
        gettext_lazy("撤回"),
        needs_reason=True,
    )
)
notice_workflow.add(
    Transition(
        "finalise", ("published",), "final", label=gettext_lazy("公示期满，结果生效"), system=True
    )
)
notice_workflow.add(
    Transition(
        "close_upheld",
        ("published",),
        "objection_upheld",
        label=gettext_lazy("公示期满，异议成立"),
        system=True,
    )
)

objection_workflow = Workflow("objection", initial=("received",))
objection_workflow.add(
    Transition(
        "investigate",
        ("received",),
        "investigating",
        BUREAU,
        gettext_lazy("开始调查核实"),
        guard=_independent,
    )
)
objection_workflow.add(
    Transition(
        "uphold",
        ("investigating",),
        "upheld",
        BUREAU,
        gettext_lazy("异议成立"),
        guard=_independent,
        needs_reason=True,
    )
)
objection_workflow.add(
    Transition(
        "dismiss",
        ("received", "investigating"),
        "dismissed",
        BUREAU,
        gettext_lazy("异议不成立"),
        guard=_independent,
        needs_reason=True,
    )
)
