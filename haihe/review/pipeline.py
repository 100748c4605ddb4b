"""Staged review, declared once per kind of case: "submit → one or more review stages → decision",
with returns for correction and resubmission, deadlines per stage and the four-eyes rules.

A module declares its pipeline in its workflows.py:

    CLAIM_PIPELINE = Pipeline(
        name="subsidy_claim",
        stages=(
            Stage("district", _("区级审核"), waiting="submitted", passed="district_approved",
                  roles=frozenset({Role.DISTRICT_REVIEWER}), scope=same_district,
                  deadline_param="subsidies.review_working_days"),
            Stage("municipal", _("市级审核"), waiting="district_approved", passed="approved",
                  roles=frozenset({Role.MUNICIPAL_REVIEWER})),
        ),
        submitter_roles=frozenset(ORG_ROLES),
        owner=own_claim, submittable=has_included_lines,
        organisations_of=lambda claim: {claim.organisation_id},
        people_of=lambda claim: set(claim.lines.values_list("person_id", flat=True)),
    )
    claim_workflow = CLAIM_PIPELINE.workflow   # a core.workflow.Workflow; add more transitions

and moves cases with `haihe.review.services` (`case_submit`, `case_decide`, `case_withdraw`),
never by hand. The pipeline builds the workflow's transitions — submit, resubmit, withdraw and
`<stage>_approve` / `<stage>_return` / `<stage>_reject` per stage — with these guards:

- jurisdiction (the stage's `scope`, e.g. the reviewer's own district);
- nobody reviews their own organisation's case: the account's organisation, or an organisation
  the reviewer's person works for (registry affiliations, current on the day);
- nobody reviews a case about themselves (the case's people);
- no person acts at two stages of one case, in any round: people are compared, not accounts
  (`User.person`), so one person with two accounts is still one person.

The case model carries: `status`, `first_submitted_at`, `submitted_at`, `submissions` and
`stage_due_on` (the date by which the stage it waits at should decide; an overdue case is
listed as such in the reviewers' queues).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.core import clock
from haihe.core.workflow import Refusal, Transition, Workflow, forbidden
from haihe.policy import calendar
from haihe.policy.rules import Reason, param, register_labels, register_messages

CaseCheck = Callable[[Any, Any], Refusal | None]

register_messages(
    {
        "review.deadline": gettext_lazy(
            "{stage}应在 {due_on} 前办结：自 {start} 收到的次日起计 {value} 个工作日。"
        ),
        "review.deadline_skipping": gettext_lazy(
            "{stage}应在 {due_on} 前办结：自 {start} 收到的次日起计 {value} 个工作日，"
            "其间的{skipped}不计入。"
        ),
        "review.deadline_none": gettext_lazy("{stage}没有规定办理时限。"),
        "review.deadline_unknown": gettext_lazy(
            "{stage}的办理时限暂无法计算：{year}年的工作日历尚未录入（市人社局录入后，"
            "新收到的申请即有时限）。"
        ),
    }
)


@dataclass(frozen=True)
class Stage:
    name: str
    label: Any
    waiting: str  # the case's state while it waits for this stage
    passed: str  # its state once this stage approves it
    roles: frozenset[str]
    scope: CaseCheck | None = None  # jurisdiction; a refusal here is `forbidden`
    queue_scope: Callable[[Any], Q] | None = None  # the same jurisdiction as a filter
    deadline_param: str | None = None  # dated parameter: days this stage has to decide
    actor_field: str | None = None  # case field recording who decided here (optional)
    at_field: str | None = None  # ... and when
    # whether the stage can approve the case yet (a `not_now` refusal otherwise): e.g. an
    # expert panel's stage approves only once the panel's result is settled and signed
    ready: CaseCheck | None = None


@dataclass
class Pipeline:
    name: str
    stages: tuple[Stage, ...]
    submitter_roles: frozenset[str]
    owner: CaseCheck  # is the user of the filing organisation (forbidden otherwise)
    organisations_of: Callable[[Any], set[int]]
    people_of: Callable[[Any], set[int]]
    submittable: CaseCheck | None = None  # can it be submitted now (not_now otherwise)
    draft: str = "draft"
    returned: str = "returned"
    rejected: str = "rejected"
    withdrawn: str = "withdrawn"
    organisation_field: str = "organisation_id"  # the filing organisation, for the queue
    workflow: Workflow = field(init=False)

    def __post_init__(self):
        self.workflow = Workflow(self.name, initial=(self.draft,))
        # reasons name a stage by its code (stored), shown in the reader's words
        register_labels({"stage": {self._stage_code(s): s.label for s in self.stages}})
        first = self.stages[0].waiting
        submit_guard = self._submit_guard
        self.workflow.add(
            Transition(
                "submit",
                (self.draft,),
                first,
                self.submitter_roles,
                gettext_lazy("提交"),
                submit_guard,
            )
        )
        self.workflow.add(
            Transition(
                "resubmit",
                (self.returned,),
                first,
                self.submitter_roles,
                gettext_lazy("修改后重新提交"),
                submit_guard,
            )
        )
        self.workflow.add(
            Transition(
                "withdraw",
                (self.draft, self.returned),
                self.withdrawn,
                self.submitter_roles,
                gettext_lazy("撤回"),
                self.owner,
            )
        )
        for stage in self.stages:
            for decision, target, label, reason in (
                ("approve", stage.passed, gettext_lazy("审核通过"), False),
                ("return", self.returned, gettext_lazy("退回修改"), True),
                ("reject", self.rejected, gettext_lazy("不予通过"), True),
            ):
                self.workflow.add(
                    Transition(
                        f"{stage.name}_{decision}",
                        (stage.waiting,),
                        target,
                        stage.roles,
                        label,
                        self._stage_guard(stage, approving=decision == "approve"),
                        needs_reason=reason,
                    )
                )

    # where a case is ------------------------------------------------------------------------
    def stage(self, name: str) -> Stage:
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise KeyError(name)

    def stage_waiting(self, case) -> Stage | None:
        """The stage `case` waits for, or None (not in review)."""
        state = self.workflow.state_of(case)
        return next((s for s in self.stages if s.waiting == state), None)

    @property
    def in_review_states(self) -> tuple[str, ...]:
        return tuple(s.waiting for s in self.stages)

    def transition_for(self, case, decision: str) -> str:
        stage = self.stage_waiting(case)
        if stage is None:
            return f"{self.stages[0].name}_{decision}"  # refused as "not possible now"
        return f"{stage.name}_{decision}"

    # guards --------------------------------------------------------------------------------
    def _submit_guard(self, user, case) -> Refusal | None:
        refusal = self.owner(user, case)
        if refusal is None and self.submittable is not None:
            refusal = self.submittable(user, case)
        return refusal

    def stage_refusal(self, user, case, stage: Stage, *, approving: bool = False):
        """Why `user` may not act on `case` at `stage` (jurisdiction, four-eyes; for an
        approval, the stage's readiness), or None. Also for what a stage's reviewer does within
        a case (e.g. excluding a line of a claim)."""
        if stage.scope is not None:
            refusal = stage.scope(user, case)
            if refusal is not None:
                return refusal
        refusal = self.conflict(user, case, stage)
        if refusal is None and approving and stage.ready is not None:
            refusal = stage.ready(user, case)
        return refusal

    def _stage_guard(self, stage: Stage, *, approving: bool) -> CaseCheck:
        return lambda user, case: self.stage_refusal(user, case, stage, approving=approving)

    def conflict(self, user, case, stage: Stage) -> Refusal | None:
        """The four-eyes refusal of `user` at `stage` of `case`, or None."""
        from haihe.review.models import ReviewAction

        organisations = self.organisations_of(case)
        if user.organisation_id is not None and user.organisation_id in organisations:
            return forbidden(_("不能审核本单位提交的申请。"))
        if user.person_id is not None:
            if user.person_id in self.people_of(case):
                return forbidden(_("该申请涉及您本人，不能审核。"))
            if organisations and _works_for(user.person_id, organisations):
                return forbidden(_("您在申请单位任职，不能审核本单位提交的申请。"))
        acted = (
            ReviewAction.objects.of(case)
            .filter(step__in=("approve", "return", "reject"))
            .exclude(stage=stage.name)
        )
        same_person = Q(actor_id=user.pk)
        if user.person_id is not None:
            same_person |= Q(actor_person_id=user.person_id)
        earlier = acted.filter(same_person).order_by("at").first()
        if earlier is not None:
            return forbidden(
                _("同一人员不能在同一申请的两个审核环节办理（您已在“%(stage)s”环节办理）。")
                % {"stage": self.stage(earlier.stage).label}
            )
        return None

    # queues and deadlines ------------------------------------------------------------------
    def queue(self, queryset, user):
        """The cases of `queryset` waiting for a stage `user` acts at, in their jurisdiction,
        not of their own organisation."""
        role = getattr(user, "role", None)
        grant = Q(pk__in=[])
        for stage in self.stages:
            if role not in stage.roles:
                continue
            here = Q(**{self.workflow.state_field: stage.waiting})
            if stage.queue_scope is not None:
                here &= stage.queue_scope(user)
            grant |= here
        rows = queryset.filter(grant)
        if user.organisation_id is not None:
            rows = rows.exclude(**{self.organisation_field: user.organisation_id})
        return rows

    def _stage_code(self, stage: Stage) -> str:
        return f"{self.name}.{stage.name}"

    def due_on(self, stage: Stage, start: datetime.date) -> tuple[datetime.date | None, Reason]:
        """When `stage` should decide a case that reached it on `start`, with the reason: the
        stage's dated number of working days, counted from the day after (Civil Code Art. 201)
        on the bureau's working-day calendar. A year whose calendar is not entered yet gives no
        deadline (the case is not refused for it; the reason says why, and the bureau's
        calendar page warns ahead of the new year)."""
        if stage.deadline_param is None:
            return None, Reason("review.deadline_none", True, {"stage": self._stage_code(stage)})
        days = param(stage.deadline_param, on=start)
        value = int(days.value[stage.name] if isinstance(days.value, dict) else days.value)
        params = {"stage": self._stage_code(stage), "start": start.isoformat(), "value": value}
        try:
            period = calendar.working_period(start + calendar.ONE_DAY, value, parameter=days)
        except calendar.CalendarMissing as missing:
            return None, Reason("review.deadline_unknown", True, {**params, "year": missing.year})
        params["due_on"] = period.end.isoformat()
        skips = [r for r in period.reasons if r.rule == "calendar.period_skips"]
        if skips:
            params["skipped"] = skips[0].params["skipped"]
            return period.end, Reason("review.deadline_skipping", True, params, days)
        return period.end, Reason("review.deadline", True, params, days)


def _works_for(person_id: int, organisations: set[int]) -> bool:
    from haihe.registry.models import Affiliation

    today = clock.today()
    return (
        Affiliation.objects.filter(
            person_id=person_id, organisation_id__in=organisations, relation="employee"
        )
        .filter(since__lte=today)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .exists()
    )
