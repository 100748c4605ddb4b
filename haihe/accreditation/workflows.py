"""The lifecycles of accreditation, declared once (haihe.core.workflow): calls, applications
(through the shared staged review, haihe.review: district → expert panel → bureau decision,
then public notice), recognitions, annual reports and change requests."""

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


def purpose_key(kind: str) -> str:
    """The panel purpose of a recognition kind (haihe.panels; its scheme under panels.<key>)."""
    return f"accreditation_{kind}"


# -- calls ----------------------------------------------------------------------------------
call_workflow = Workflow("accreditation_call", initial=("draft",))
call_workflow.add(Transition("open", ("draft",), "open", BUREAU, gettext_lazy("发布申报通知")))
call_workflow.add(
    Transition("close", ("open",), "closed", BUREAU, gettext_lazy("截止申报"), needs_reason=False)
)
call_workflow.add(
    Transition(
        "reopen", ("closed",), "open", BUREAU, gettext_lazy("重新开放申报"), needs_reason=True
    )
)


# -- applications ---------------------------------------------------------------------------
def _own_application(user, application) -> Refusal | None:
    if user.organisation_id != application.organisation_id:
        return forbidden(_("只能操作本单位的申请。"))
    return None


def _submittable(user, application) -> Refusal | None:
    """The call is open, the required evidence is attached and the eligibility rules pass."""
    from haihe.accreditation.eligibility import check, missing_evidence
    from haihe.core import clock

    missing = missing_evidence(application)
    if missing:
        return not_now(
            _("缺少申报通知要求的材料：%(kinds)s。") % {"kinds": "、".join(missing.values())}
        )
    decision = check(application, on=clock.today())
    if not decision.ok:
        return not_now("；".join(r.message for r in decision.refusals))
    return None


def _same_district(user, application) -> Refusal | None:
    if user.district_id != application.district_id:
        return forbidden(_("只能审核本区单位的申请。"))
    return None


def _panel_settled(user, application) -> Refusal | None:
    """The expert panel's stage approves once the panel's result is settled and signed off."""
    from haihe.panels.selectors import result_for

    result = result_for(application, purpose=purpose_key(application.kind))
    if result is None:
        return not_now(_("专家评审尚未完成评分，不能通过本环节。"))
    if not result.final:
        return not_now(_("专家组评审结果尚未签署确认，不能通过本环节。"))
    return None


def _quota_left(user, application) -> Refusal | None:
    """Where the call sets a quota for the district, no more than that many are approved."""
    from haihe.accreditation.eligibility import quota_reason

    reason = quota_reason(application)
    if reason is not None and not reason.ok:
        return not_now(reason.message)
    return None


APPLICATION_PIPELINE = Pipeline(
    name="accreditation_application",
    stages=(
        Stage(
            "district",
            gettext_lazy("区级初审"),
            waiting="submitted",
            passed="district_approved",
            roles=DISTRICT,
            scope=_same_district,
            queue_scope=lambda user: Q(district_id=user.district_id),
            deadline_param="accreditation.review_working_days",
            actor_field="district_reviewed_by",
            at_field="district_reviewed_at",
        ),
        Stage(
            "panel",
            gettext_lazy("专家评审"),
            waiting="district_approved",
            passed="panel_scored",
            roles=MUNICIPAL,
            deadline_param="accreditation.review_working_days",
            actor_field="panel_reviewed_by",
            at_field="panel_reviewed_at",
            ready=_panel_settled,
        ),
        Stage(
            "bureau",
            gettext_lazy("市人社局决定"),
            waiting="panel_scored",
            passed="approved",
            roles=BUREAU,
            deadline_param="accreditation.review_working_days",
            actor_field="decided_by",
            at_field="decided_at",
            ready=_quota_left,
        ),
    ),
    submitter_roles=ORG,
    owner=_own_application,
    submittable=_submittable,
    organisations_of=lambda application: {application.organisation_id},
    people_of=lambda application: {application.leader_id} if application.leader_id else set(),
)
application_workflow = APPLICATION_PIPELINE.workflow
# the notice closed: final → the recognition is granted; an objection upheld → back to the
# bureau's decision (the notices module calls the hook; no person takes these)
application_workflow.add(
    Transition(
        "grant", ("approved",), "granted", label=gettext_lazy("公示期满，予以认定"), system=True
    )
)
application_workflow.add(
    Transition(
        "reopen",
        ("approved",),
        "panel_scored",
        label=gettext_lazy("公示异议成立，重新决定"),
        system=True,
    )
)
DECISION_STAGES = {s.name: s for s in APPLICATION_PIPELINE.stages}
can_submit_application = application_workflow.can("submit")
can_resubmit_application = application_workflow.can("resubmit")
can_withdraw_application = application_workflow.can("withdraw")


# -- recognitions ---------------------------------------------------------------------------
recognition_workflow = Workflow("accreditation_recognition", initial=("active",))
for _name, _sources, _target, _label in [
    ("suspend", ("active",), "suspended", gettext_lazy("暂停")),
    ("reinstate", ("suspended",), "active", gettext_lazy("恢复")),
    ("revoke", ("active", "suspended"), "revoked", gettext_lazy("撤销")),
]:
    recognition_workflow.add(
        Transition(_name, _sources, _target, BUREAU, _label, needs_reason=True)
    )
recognition_workflow.add(
    Transition(
        "expire",
        ("active", "suspended"),
        "expired",
        label=gettext_lazy("有效期届满"),
        system=True,
    )
)
recognition_workflow.add(
    Transition(
        "renew",
        ("active", "suspended", "expired"),
        "renewed",
        label=gettext_lazy("重新认定后换发"),
        system=True,
    )
)


# -- annual reports -------------------------------------------------------------------------
def _report_district(user, report) -> Refusal | None:
    if user.district_id != report.recognition.district_id:
        return forbidden(_("只能核查本区单位的年度报告。"))
    if user.organisation_id == report.recognition.holder_id:
        return forbidden(_("不能核查本单位的年度报告。"))
    return None


def _own_report(user, report) -> Refusal | None:
    if user.organisation_id != report.recognition.holder_id:
        return forbidden(_("只能操作本单位的年度报告。"))
    return None


report_workflow = Workflow("accreditation_report", initial=("submitted",))
report_workflow.add(
    Transition(
        "accept", ("submitted",), "accepted", DISTRICT, gettext_lazy("核查通过"), _report_district
    )
)
report_workflow.add(
    Transition(
        "return",
        ("submitted",),
        "returned",
        DISTRICT,
        gettext_lazy("退回补正"),
        _report_district,
        needs_reason=True,
    )
)
report_workflow.add(
    Transition(
        "resubmit", ("returned",), "submitted", ORG, gettext_lazy("补正后重新提交"), _own_report
    )
)


# -- change requests ------------------------------------------------------------------------
def _not_own_change(user, change) -> Refusal | None:
    if user.organisation_id is not None and user.organisation_id == change.recognition.holder_id:
        return forbidden(_("不能审批本单位的变更申请。"))
    if change.requested_by_id == user.pk:
        return forbidden(_("不能审批本人提出的变更申请。"))
    return None


change_workflow = Workflow("accreditation_change", initial=("submitted",))
change_workflow.add(
    Transition(
        "approve", ("submitted",), "approved", BUREAU, gettext_lazy("批准变更"), _not_own_change
    )
)
change_workflow.add(
    Transition(
        "reject",
        ("submitted",),
        "rejected",
        BUREAU,
        gettext_lazy("不予批准"),
        _not_own_change,
        needs_reason=True,
    )
)
