"""The lifecycles of a class and of an enrolment, declared once (haihe.core.workflow).

Class: draft → submitted → approved | returned (→ submitted again); cancelled from any state
before the class starts. A district reviewer of the class's district approves or returns it, and
only before the start date: a class that has started is never approved retroactively.

Enrolment: enrolled | refused (the eligibility decision at enrolment) → completed (taken by the
platform when verified hours reach the threshold; reopened by it if they fall back) | withdrawn;
refused → enrolled by a municipal reviewer's override.

The `can_<verb>` functions of training.perms for these transitions come from here.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.accounts.roles import ORG_ROLES, Role
from haihe.core import clock
from haihe.core.workflow import Refusal, Transition, Workflow, forbidden, not_now


def _filer(user, training_class) -> Refusal | None:
    if training_class.organisation_id != getattr(user, "organisation_id", None):
        return forbidden(_("只有开班单位可以执行此操作。"))
    return None


def _before_start(training_class) -> Refusal | None:
    if clock.today() >= training_class.start_date:
        return not_now(
            _("培训班已于 %(day)s 开班，不能再提交或审核。")
            % {"day": training_class.start_date.isoformat()}
        )
    return None


def _submit_guard(user, training_class) -> Refusal | None:
    return _filer(user, training_class) or _before_start(training_class)


def _review_guard(user, training_class) -> Refusal | None:
    if training_class.district_id != user.district_id:
        return forbidden(_("只有培训班所在区的审核员可以审核。"))
    return _before_start(training_class)


def _cancel_guard(user, training_class) -> Refusal | None:
    refusal = _filer(user, training_class)
    if refusal:
        return refusal
    if training_class.status == "approved":
        if clock.today() >= training_class.start_date:
            return not_now(_("培训班已开班，不能撤销。"))
        if training_class.enrolments.filter(status__in=("enrolled", "completed")).exists():
            return not_now(_("培训班已有学员报名，不能撤销。"))
    return None


CLASS_WORKFLOW = Workflow("training_class", initial=("draft",))
CLASS_WORKFLOW.add(
    Transition(
        "submit",
        ("draft", "returned"),
        "submitted",
        frozenset(ORG_ROLES),
        gettext_lazy("提交备案"),
        _submit_guard,
    )
)
CLASS_WORKFLOW.add(
    Transition(
        "approve",
        ("submitted",),
        "approved",
        frozenset({Role.DISTRICT_REVIEWER}),
        gettext_lazy("同意备案"),
        _review_guard,
    )
)
CLASS_WORKFLOW.add(
    Transition(
        "return",
        ("submitted",),
        "returned",
        frozenset({Role.DISTRICT_REVIEWER}),
        gettext_lazy("退回修改"),
        _review_guard,
        needs_reason=True,
    )
)
CLASS_WORKFLOW.add(
    Transition(
        "cancel",
        ("draft", "submitted", "returned", "approved"),
        "cancelled",
        frozenset(ORG_ROLES),
        gettext_lazy("撤销"),
        _cancel_guard,
        needs_reason=True,
    )
)


def _override_guard(user, enrolment) -> Refusal | None:
    if enrolment.training_class.status != "approved":
        return not_now(_("培训班不在已备案状态。"))
    return None


def _withdraw_guard(user, enrolment) -> Refusal | None:
    return _filer(user, enrolment.training_class)


ENROLMENT_WORKFLOW = Workflow("enrolment", initial=("enrolled", "refused"))
ENROLMENT_WORKFLOW.add(
    Transition(
        "override",
        ("refused",),
        "enrolled",
        frozenset({Role.MUNICIPAL_REVIEWER}),
        gettext_lazy("复核通过（推翻资格审查结论）"),
        _override_guard,
        needs_reason=True,
    )
)
ENROLMENT_WORKFLOW.add(
    Transition(
        "withdraw",
        ("enrolled",),
        "withdrawn",
        frozenset(ORG_ROLES),
        gettext_lazy("退出培训"),
        _withdraw_guard,
        needs_reason=True,
    )
)
ENROLMENT_WORKFLOW.add(
    Transition(
        "complete",
        ("enrolled",),
        "completed",
        label=gettext_lazy("结业（学时达标）"),
        system=True,
    )
)
ENROLMENT_WORKFLOW.add(
    Transition(
        "reopen",
        ("completed",),
        "enrolled",
        label=gettext_lazy("恢复为在训（学时不再达标）"),
        system=True,
    )
)
