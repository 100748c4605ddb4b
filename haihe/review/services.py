"""Moving a case through its pipeline: the only writes of a staged review.

Each call takes the workflow transition (permission, state and four-eyes guards, one audit
event), records the step in the review history (`ReviewAction`) and sets the date by which the
next stage should decide. The module's own service calls these inside its transaction and adds
what is its own (amounts, checks, lines) through `extra_updates` and `data`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haihe.core import clock
from haihe.review.models import ReviewAction, Step
from haihe.review.pipeline import Pipeline

DECISIONS = ("approve", "return", "reject")


def _record(pipeline: Pipeline, case, *, actor, step: str, stage: str = "", reason="", due=None):
    from django.contrib.contenttypes.models import ContentType

    ReviewAction.objects.create(
        pipeline=pipeline.name,
        case_type=ContentType.objects.get_for_model(case),
        case_id=case.pk,
        round=max(1, case.submissions or 1),
        stage=stage,
        step=step,
        actor=actor,
        actor_person_id=getattr(actor, "person_id", None),
        reason=reason.strip(),
        due_on=due,
    )


@transaction.atomic
def case_submit(
    pipeline: Pipeline,
    *,
    actor,
    case,
    channel: str = "web",
    data: dict | None = None,
    extra_updates: dict | None = None,
):
    """Submit a draft, or resubmit a returned case; it goes to the first stage. The first
    filing's moment is kept (`first_submitted_at`): deadlines the first filing met stay met."""
    name = "resubmit" if pipeline.workflow.state_of(case) == pipeline.returned else "submit"
    now = clock.now()
    first = pipeline.stages[0]
    due, reason = pipeline.due_on(first, now.date())
    updates = {
        "submitted_at": now,
        "first_submitted_at": case.first_submitted_at or now,
        "submissions": (case.submissions or 0) + 1,
        "stage_due_on": due,
    }
    for stage in pipeline.stages:  # a new round: every stage decides again
        if stage.actor_field:
            updates[stage.actor_field] = None
        if stage.at_field:
            updates[stage.at_field] = None
    updates.update(extra_updates or {})
    pipeline.workflow.apply(
        actor=actor,
        obj=case,
        name=name,
        channel=channel,
        data={**(data or {}), "due_on": due, "deadline": reason.as_dict()},
        extra_updates=updates,
    )
    _record(pipeline, case, actor=actor, step=name, due=due)
    return case


@transaction.atomic
def case_decide(
    pipeline: Pipeline,
    *,
    actor,
    case,
    decision: str,
    reason: str = "",
    channel: str = "web",
    data: dict | None = None,
    extra_updates: dict | None = None,
):
    """A reviewer's decision at the stage the case waits for: approve (to the next stage or
    the final decision), return for correction, or reject — the last two with a reason."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("未知的审核结论。")})
    stage = pipeline.stage_waiting(case)
    name = pipeline.transition_for(case, decision)
    now = clock.now()
    updates: dict = {}
    if stage is not None:
        if stage.actor_field:
            updates[stage.actor_field] = actor
        if stage.at_field:
            updates[stage.at_field] = now
    due = None
    if decision == "approve" and stage is not None:
        following = [s for s in pipeline.stages if s.waiting == stage.passed]
        if following:
            due, _reason = pipeline.due_on(following[0], now.date())
    updates["stage_due_on"] = due
    updates.update(extra_updates or {})
    pipeline.workflow.apply(
        actor=actor,
        obj=case,
        name=name,
        reason=reason,
        channel=channel,
        data=data,
        extra_updates=updates,
    )
    _record(
        pipeline,
        case,
        actor=actor,
        step=decision,
        stage=stage.name if stage else "",
        reason=reason,
        due=due,
    )
    return case


@transaction.atomic
def case_withdraw(pipeline: Pipeline, *, actor, case, reason: str = "", channel: str = "web"):
    """The filer withdraws a draft or a returned case."""
    pipeline.workflow.apply(
        actor=actor,
        obj=case,
        name="withdraw",
        reason=reason,
        channel=channel,
        extra_updates={"stage_due_on": None},
    )
    _record(pipeline, case, actor=actor, step=Step.WITHDRAW, reason=reason)
    return case


def history(case) -> list[ReviewAction]:
    """The review history of a case, oldest first (for its page)."""
    return list(ReviewAction.objects.of(case).order_by("at", "id"))
