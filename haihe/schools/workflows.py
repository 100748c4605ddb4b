"""The lifecycles of technical schools' cases, declared once (haihe.core.workflow), all through
the shared staged review (haihe.review): a major and a cooperation agreement go to the school's
district, then the bureau; a performance-pay plan goes to the bureau. Four-eyes (no reviewer of
their own organisation — for an agreement, of either party — nor of a case about themselves,
nor at two stages of one case) comes from the pipeline."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role
from haihe.core.workflow import Refusal, forbidden, not_now
from haihe.review.pipeline import Pipeline, Stage

ORG = frozenset(ORG_ROLES)
DISTRICT = frozenset({Role.DISTRICT_REVIEWER})
MUNICIPAL = frozenset({Role.MUNICIPAL_REVIEWER})
BUREAU = frozenset(BUREAU_ROLES)
DEADLINES = "schools.review_working_days"


def _own_case(user, case) -> Refusal | None:
    if user.organisation_id != case.school_id:
        return forbidden(_("只能操作本校的申请。"))
    return None


def _same_district(user, case) -> Refusal | None:
    if user.district_id != case.district_id:
        return forbidden(_("只能审核本区技工院校的申请。"))
    return None


def _has_evidence(kind: str, message):
    def check(user, case) -> Refusal | None:
        from haihe.evidence.models import Evidence

        if not Evidence.objects.of(case).live().filter(kind=kind).exists():
            return not_now(message)
        return None

    return check


def _major_submittable(user, major) -> Refusal | None:
    from haihe.schools.rules import major_level

    reason = major_level(major.occupation, major.level)
    if not reason.ok:
        return not_now(reason.message)
    return _has_evidence("programme_plan", _("请先上传专业人才培养方案（PDF），再提交。"))(
        user, major
    )


def _two_stages(name: str, *, people_of=lambda case: set(), organisations_of, submittable):
    return Pipeline(
        name=name,
        stages=(
            Stage(
                "district",
                gettext_lazy("区级审核"),
                waiting="submitted",
                passed="district_approved",
                roles=DISTRICT,
                scope=_same_district,
                queue_scope=lambda user: Q(district_id=user.district_id),
                deadline_param=DEADLINES,
                actor_field="district_reviewed_by",
                at_field="district_reviewed_at",
            ),
            Stage(
                "bureau",
                gettext_lazy("市级审核"),
                waiting="district_approved",
                passed="approved",
                roles=MUNICIPAL,
                deadline_param=DEADLINES,
                actor_field="bureau_reviewed_by",
                at_field="bureau_reviewed_at",
            ),
        ),
        submitter_roles=ORG,
        owner=_own_case,
        submittable=submittable,
        organisations_of=organisations_of,
        people_of=people_of,
        organisation_field="school_id",
    )


MAJOR_PIPELINE = _two_stages(
    "school_major",
    organisations_of=lambda major: {major.school_id},
    submittable=_major_submittable,
)
major_workflow = MAJOR_PIPELINE.workflow

AGREEMENT_PIPELINE = _two_stages(
    "school_agreement",
    organisations_of=lambda agreement: {agreement.school_id, agreement.enterprise_id},
    submittable=_has_evidence(
        "signed_agreement", gettext_lazy("请先上传双方签署的合作协议（PDF），再提交。")
    ),
)
agreement_workflow = AGREEMENT_PIPELINE.workflow


def _pay_within_rules(user, plan) -> Refusal | None:
    """The plan passes the pay rules on the parameters in force now (submission, approval)."""
    from haihe.schools.rules import plan_decision

    decision = plan_decision(plan)
    if not decision.ok:
        return not_now(" ".join(r.message for r in decision.refusals))
    return None


PAY_PIPELINE = Pipeline(
    name="school_performance_pay",
    stages=(
        Stage(
            "bureau",
            gettext_lazy("市人社局核定"),
            waiting="submitted",
            passed="approved",
            roles=BUREAU,
            deadline_param=DEADLINES,
            actor_field="bureau_reviewed_by",
            at_field="bureau_reviewed_at",
            ready=_pay_within_rules,
        ),
    ),
    submitter_roles=ORG,
    owner=_own_case,
    submittable=_pay_within_rules,
    organisations_of=lambda plan: {plan.school_id},
    people_of=lambda plan: set(),
    organisation_field="school_id",
)
pay_workflow = PAY_PIPELINE.workflow
