"""The lifecycles of a claim and a claim line, declared once (haihe.core.workflow; claims
through the shared staged review, haihe.review; their payment through haihe.payments)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.accounts.roles import ORG_ROLES, Role
from haihe.core.workflow import Refusal, Transition, Workflow, forbidden, not_now
from haihe.review.pipeline import Pipeline, Stage

ORG = frozenset(ORG_ROLES)
DISTRICT = frozenset({Role.DISTRICT_REVIEWER})
MUNICIPAL = frozenset({Role.MUNICIPAL_REVIEWER})
BUREAU = frozenset({Role.BUREAU_ADMIN})


def _own_claim(user, claim) -> Refusal | None:
    if user.organisation_id != claim.organisation_id:
        return forbidden(_("只能操作本单位的申领。"))
    return None


def _has_included_lines(user, claim) -> Refusal | None:
    if not claim.lines.filter(status="included").exists():
        return not_now(_("申领中没有符合条件的明细，不能提交。"))
    return None


def _same_district(user, claim) -> Refusal | None:
    if user.district_id != claim.district_id:
        return forbidden(_("只能审核本区的申领。"))
    return None


# Claims go through the shared staged review (haihe.review): the district of the class, then the
# municipality; four-eyes (own organisation, the trainees themselves, one person per stage)
# comes from the pipeline.
CLAIM_PIPELINE = Pipeline(
    name="subsidy_claim",
    stages=(
        Stage(
            "district",
            gettext_lazy("区级审核"),
            waiting="submitted",
            passed="district_approved",
            roles=DISTRICT,
            scope=_same_district,
            queue_scope=lambda user: Q(district_id=user.district_id),
            deadline_param="subsidies.review_working_days",
            actor_field="district_reviewed_by",
            at_field="district_reviewed_at",
        ),
        Stage(
            "municipal",
            gettext_lazy("市级审核"),
            waiting="district_approved",
            passed="approved",
            roles=MUNICIPAL,
            deadline_param="subsidies.review_working_days",
            actor_field="municipal_reviewed_by",
            at_field="municipal_reviewed_at",
        ),
    ),
    submitter_roles=ORG,
    owner=_own_claim,
    submittable=_has_included_lines,
    organisations_of=lambda claim: {claim.organisation_id},
    people_of=lambda claim: set(claim.lines.values_list("person_id", flat=True)),
)
claim_workflow = CLAIM_PIPELINE.workflow
claim_workflow.add(
    Transition(
        "mark_paid",
        ("approved",),
        "paid",
        label=gettext_lazy("已支付（银行回单）"),
        system=True,
    )
)
APPROVALS = ("district_approve", "municipal_approve")
RETURNS = ("district_return", "municipal_return")
REJECTIONS = ("district_reject", "municipal_reject")

can_submit_claim = claim_workflow.can("submit")
can_resubmit_claim = claim_workflow.can("resubmit")


def _line_reviewer(user, line) -> Refusal | None:
    stage = CLAIM_PIPELINE.stage_waiting(line.claim)
    if stage is None:
        return not_now(_("申领不在审核中。"))
    if user.role not in stage.roles:
        return forbidden(_("您现在不能审核该申领。"))
    return CLAIM_PIPELINE.stage_refusal(user, line.claim, stage)


# A claim line: included or ineligible by the rules (re-evaluated by the platform at each
# submission), excluded by a reviewer with a reason, and put back by one.
line_workflow = Workflow("subsidy_claim_line", initial=("included", "ineligible"))
for _name, _sources, _target, _roles, _label, _guard, _reason, _system in [
    ("qualify", ("ineligible",), "included", frozenset(), gettext_lazy("重新核算后符合条件"),
     None, False, True),
    ("disqualify", ("included",), "ineligible", frozenset(), gettext_lazy("重新核算后不符合条件"),
     None, False, True),
    ("exclude", ("included",), "excluded", DISTRICT | MUNICIPAL, gettext_lazy("审核剔除"),
     _line_reviewer, True, False),
    ("include", ("excluded",), "included", DISTRICT | MUNICIPAL, gettext_lazy("恢复申领"),
     _line_reviewer, False, False),
]:  # fmt: skip
    line_workflow.add(
        Transition(
            _name, _sources, _target, _roles, _label, guard=_guard, needs_reason=_reason,
            system=_system,
        )
    )  # fmt: skip
