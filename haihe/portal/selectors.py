"""What needs each role now: the figures of the home pages, each computed from what the user may
see (every query starts from the module's `visible_to(user)`), with a few aggregate queries
(conditional counts over indexed columns), never a loop over rows."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, Min, OuterRef, Q, Sum

from haihe.accounts.roles import Role
from haihe.core import clock
from haihe.notices.models import Notice, Objection
from haihe.notices.perms import can_manage_notices
from haihe.panels.models import Assignment, CaseStatus, PanelStatus, SheetStatus
from haihe.payments.models import BatchStatus, PaymentBatch
from haihe.payments.payables import KINDS
from haihe.payments.perms import can_view_payments
from haihe.payments.services import queue as payment_queue
from haihe.policy.rules import param
from haihe.subsidies.models import Claim, ClaimLine, ClaimStatus, LineStatus
from haihe.subsidies.rules import DEADLINE_KEY, claim_deadline
from haihe.subsidies.workflows import CLAIM_PIPELINE
from haihe.supervision.models import Flag, FlagStatus
from haihe.supervision.perms import can_view_supervision
from haihe.training.models import ClassStatus, Enrolment, EnrolmentStatus, Outcome, TrainingClass

SOON_DAYS = 7  # "starts soon" / "due soon": within a week


def _n(value) -> int:
    return int(value or 0)


# the bureau and the reviewers ---------------------------------------------------------------
@dataclass
class StageQueue:
    name: str
    label: object
    waiting: int
    overdue: int


@dataclass
class ReviewerHome:
    stages: list[StageQueue]
    overdue_claims: list
    classes_waiting: int
    classes_starting_soon: int
    classes_started: int
    flags_open: int | None  # None: the user does not see supervision
    flag_kinds: list = field(default_factory=list)
    notices_with_objections: int | None = None
    objections_open: int | None = None
    batches_awaiting_results: int | None = None
    payables_waiting: int | None = None

    @property
    def claims_waiting(self) -> int:
        return sum(s.waiting for s in self.stages)

    @property
    def claims_overdue(self) -> int:
        return sum(s.overdue for s in self.stages)


def claims_waiting_for(user):
    """The claims waiting at a stage `user` decides (the pipeline's queue); for the bureau's
    administrator, who decides none, every claim in review it may see (an overview)."""
    claims = Claim.objects.visible_to(user)
    if user.role == Role.BUREAU_ADMIN:
        return claims.filter(status__in=CLAIM_PIPELINE.in_review_states)
    return CLAIM_PIPELINE.queue(claims, user)


def reviewer_home(user) -> ReviewerHome:
    today = clock.today()
    waiting = claims_waiting_for(user)
    stages = [
        s for s in CLAIM_PIPELINE.stages if user.role == Role.BUREAU_ADMIN or user.role in s.roles
    ]
    counts = waiting.aggregate(
        **{f"w_{s.name}": Count("pk", filter=Q(status=s.waiting)) for s in stages},
        **{
            f"o_{s.name}": Count("pk", filter=Q(status=s.waiting, stage_due_on__lt=today))
            for s in stages
        },
    )
    overdue = list(
        waiting.filter(stage_due_on__lt=today)
        .select_related("organisation", "district")
        .order_by("stage_due_on", "pk")[:5]
    )
    classes = TrainingClass.objects.visible_to(user).filter(status=ClassStatus.SUBMITTED)
    class_counts = classes.aggregate(
        total=Count("pk"),
        soon=Count(
            "pk",
            filter=Q(
                start_date__gt=today, start_date__lte=today + datetime.timedelta(days=SOON_DAYS)
            ),
        ),
        started=Count("pk", filter=Q(start_date__lte=today)),
    )
    home = ReviewerHome(
        stages=[
            StageQueue(s.name, s.label, _n(counts[f"w_{s.name}"]), _n(counts[f"o_{s.name}"]))
            for s in stages
        ],
        overdue_claims=overdue,
        classes_waiting=_n(class_counts["total"]),
        classes_starting_soon=_n(class_counts["soon"]),
        classes_started=_n(class_counts["started"]),
        flags_open=None,
    )
    if can_view_supervision(user):
        flags = Flag.objects.visible_to(user).filter(status=FlagStatus.OPEN)
        kinds = dict(Flag._meta.get_field("kind").choices)
        by_kind = flags.values("kind").annotate(n=Count("pk")).order_by("-n", "kind")
        home.flag_kinds = [
            (row["kind"], kinds.get(row["kind"], row["kind"]), row["n"]) for row in by_kind
        ]
        home.flags_open = sum(n for _k, _l, n in home.flag_kinds)
    if can_manage_notices(user):
        open_objections = Objection.objects.visible_to(user).filter(status__in=Objection.OPEN)
        home.objections_open = open_objections.count()
        home.notices_with_objections = (
            Notice.objects.visible_to(user)
            .filter(Exists(open_objections.filter(notice=OuterRef("pk"))))
            .count()
        )
    if can_view_payments(user):
        home.batches_awaiting_results = (
            PaymentBatch.objects.visible_to(user).filter(status=BatchStatus.EXPORTED).count()
        )
        home.payables_waiting = sum(payment_queue(kind).count() for kind in KINDS.values())
    return home


# an organisation's users --------------------------------------------------------------------
@dataclass
class OrgHome:
    class_drafts: int
    class_returned: int
    class_waiting: int
    classes_to_complete: int
    classes_to_claim: int
    claim_drafts: int
    claim_returned: int
    claim_in_review: int
    claim_approved: int
    claims_to_act: list
    flags_open: int | None


def _classes_to_claim(user, classes):
    claimable = (
        Outcome.objects.current()
        .filter(enrolment__training_class=OuterRef("pk"))
        .exclude(enrolment__subsidy_lines__holds_outcome=True)
    )
    return classes.filter(status=ClassStatus.APPROVED).filter(Exists(claimable))


def org_home(user) -> OrgHome:
    today = clock.today()
    own = Q(organisation_id=user.organisation_id)
    classes = TrainingClass.objects.visible_to(user).filter(own)
    counts = classes.aggregate(
        drafts=Count("pk", filter=Q(status=ClassStatus.DRAFT)),
        returned=Count("pk", filter=Q(status=ClassStatus.RETURNED)),
        waiting=Count("pk", filter=Q(status=ClassStatus.SUBMITTED)),
    )
    still_enrolled = Enrolment.objects.filter(
        training_class=OuterRef("pk"), status=EnrolmentStatus.ENROLLED
    )
    to_complete = (
        classes.filter(status=ClassStatus.APPROVED, end_date__lt=today)
        .filter(Exists(still_enrolled))
        .count()
    )
    claims = Claim.objects.visible_to(user).filter(own)
    claim_counts = claims.aggregate(
        drafts=Count("pk", filter=Q(status=ClaimStatus.DRAFT)),
        returned=Count("pk", filter=Q(status=ClaimStatus.RETURNED)),
        in_review=Count("pk", filter=Q(status__in=CLAIM_PIPELINE.in_review_states)),
        approved=Count("pk", filter=Q(status=ClaimStatus.APPROVED)),
    )
    to_act = list(
        claims.filter(status__in=(ClaimStatus.DRAFT, ClaimStatus.RETURNED))
        .select_related("training_class")
        .annotate(
            first_issued=Min("lines__outcome__issued_on", filter=~Q(lines__status="excluded"))
        )
        .order_by("first_issued", "pk")[:10]
    )
    for claim in to_act:  # at most ten: the filing deadline of the claim's earliest outcome
        claim.deadline = None
        if claim.first_issued is not None:
            months = param(DEADLINE_KEY, on=claim.first_issued)
            claim.deadline = claim_deadline(claim.first_issued, int(months.value))
            claim.deadline_passed = claim.deadline < today
    flags_open = None
    if can_view_supervision(user):
        flags_open = Flag.objects.visible_to(user).filter(status=FlagStatus.OPEN).count()
    return OrgHome(
        class_drafts=_n(counts["drafts"]),
        class_returned=_n(counts["returned"]),
        class_waiting=_n(counts["waiting"]),
        classes_to_complete=to_complete,
        classes_to_claim=_classes_to_claim(user, classes).count(),
        claim_drafts=_n(claim_counts["drafts"]),
        claim_returned=_n(claim_counts["returned"]),
        claim_in_review=_n(claim_counts["in_review"]),
        claim_approved=_n(claim_counts["approved"]),
        claims_to_act=to_act,
        flags_open=flags_open,
    )


# an expert ---------------------------------------------------------------------------------
@dataclass
class ExpertHome:
    assignments: int
    unscored: int
    returned: int
    overdue: int
    due_soon: int
    panels: list


def expert_home(user) -> ExpertHome:
    today = clock.today()
    unscored = Q(sheet__status__in=(SheetStatus.DRAFT, SheetStatus.RETURNED))
    live = (
        Assignment.objects.visible_to(user)
        .live()
        .exclude(case__panel__status=PanelStatus.CANCELLED)
        .exclude(case__status=CaseStatus.WITHDRAWN)
    )
    counts = live.aggregate(
        total=Count("pk"),
        unscored=Count("pk", filter=unscored),
        returned=Count("pk", filter=Q(sheet__status=SheetStatus.RETURNED)),
        overdue=Count("pk", filter=unscored & Q(case__panel__deadline__lt=today)),
        soon=Count(
            "pk",
            filter=unscored
            & Q(
                case__panel__deadline__gte=today,
                case__panel__deadline__lte=today + datetime.timedelta(days=SOON_DAYS),
            ),
        ),
    )
    panels = list(
        live.values("case__panel_id", "case__panel__name", "case__panel__deadline")
        .annotate(n=Count("pk"), open=Count("pk", filter=unscored))
        .order_by("case__panel__deadline", "case__panel_id")[:20]
    )
    for row in panels:
        deadline = row["case__panel__deadline"]
        row["days_left"] = None if deadline is None else (deadline - today).days
    return ExpertHome(
        assignments=_n(counts["total"]),
        unscored=_n(counts["unscored"]),
        returned=_n(counts["returned"]),
        overdue=_n(counts["overdue"]),
        due_soon=_n(counts["soon"]),
        panels=panels,
    )


# a worker ----------------------------------------------------------------------------------
@dataclass
class WorkerHome:
    in_training: int
    completed: int
    enrolments: list
    outcomes: int
    recent_outcomes: list
    subsidy_lines: int
    subsidy_paid: Decimal
    subsidy_in_progress: Decimal


def worker_home(user) -> WorkerHome:
    enrolments = Enrolment.objects.visible_to(user)
    counts = enrolments.aggregate(
        enrolled=Count("pk", filter=Q(status=EnrolmentStatus.ENROLLED)),
        completed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
    )
    outcomes = Outcome.objects.visible_to(user).current()
    lines = ClaimLine.objects.visible_to(user).filter(status=LineStatus.INCLUDED)
    sums = lines.aggregate(
        n=Count("pk"),
        paid=Sum("amount", filter=Q(claim__status=ClaimStatus.PAID)),
        in_progress=Sum(
            "amount",
            filter=Q(claim__status__in=(*CLAIM_PIPELINE.in_review_states, ClaimStatus.APPROVED)),
        ),
    )
    return WorkerHome(
        in_training=_n(counts["enrolled"]),
        completed=_n(counts["completed"]),
        enrolments=list(
            enrolments.select_related(
                "training_class__occupation", "training_class__organisation"
            ).order_by("-training_class__start_date", "-pk")[:5]
        ),
        outcomes=outcomes.count(),
        recent_outcomes=list(
            outcomes.select_related("enrolment__training_class__occupation").order_by(
                "-issued_on", "-pk"
            )[:5]
        ),
        subsidy_lines=_n(sums["n"]),
        subsidy_paid=sums["paid"] or Decimal("0"),
        subsidy_in_progress=sums["in_progress"] or Decimal("0"),
    )
