"""The subsidy part of the Tianjin 2020 scenario (runs after the training step).

Institutions claim for the classes the training step left with outcomes: a claim per class,
lines judged by the real rule (`haihe.subsidies.rules.evaluate`), checks run by the real checks
(`run_checks`), then district and municipal review, payment batches and bank results. Claims are
in every state, and exactly round(370,000 × scale) outcomes have an approved or paid subsidy as of
2020-09-30 (`subsidised_training_person_times`), the seed article's headline.

Everything is bulk-written (claims, lines, checks, payments, audit events), so `--scale 1` takes
minutes, not hours. Only `scenario.rng` is used: the same seed gives the same data.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from haihe.core import numbering
from haihe.demo.subsidy_plan import (
    HEADLINE,
    HEADLINE_DAY,
    KIND_ORDER,
    TODAY,
    Plan,
)
from haihe.demo.subsidy_plan import (
    at as _at,
)
from haihe.demo.subsidy_records import audit_trail, payments, write_decisions
from haihe.registry.models import Occupation
from haihe.subsidies.checks import run_checks
from haihe.subsidies.models import (
    CatalogueEntry,
    Claim,
    ClaimCheck,
    ClaimLine,
    LineStatus,
)
from haihe.subsidies.rules import evaluate, render_reason
from haihe.subsidies.workflows import claim_workflow, line_workflow
from haihe.training.models import Outcome
from haihe.training.workflows import ENROLMENT_WORKFLOW


def build(scenario) -> dict[str, int]:
    rng = scenario.rng
    target = round(HEADLINE * scenario.scale)
    _seed_catalogue(scenario)
    plans = _plans(scenario)
    if not plans:
        scenario.result.notes.append("subsidies: no training outcomes to claim for")
        return {"subsidy_claims": 0}
    _timeline(rng, plans)
    _split(rng, plans, target)
    irregular = _irregularities(rng, plans)
    _create_claims(scenario, plans)
    _create_lines(plans)
    _home_evidence(scenario, plans)
    claim_ids = [p.claim.pk for p in plans]
    for start in range(0, len(claim_ids), 2000):
        run_checks(claim_ids[start : start + 2000])
    flagged = _flagged_lines(claim_ids)
    granted = _grant(rng, [p for p in plans if p.early], flagged, target, 0)
    while granted < target:
        extra = _promote(plans, target - granted)
        if not extra:
            break
        extra_ids = [p.claim.pk for p in extra]
        ClaimCheck.objects.filter(claim_id__in=extra_ids).delete()
        ClaimLine.objects.filter(claim_id__in=extra_ids).delete()
        _create_lines(extra)
        run_checks(extra_ids)
        flagged.update(_flagged_lines(extra_ids))
        granted = _grant(rng, extra, flagged, target, granted)
    granted = _trim(plans, granted, target)
    _work_waiting(plans)
    _home_institution_has_work(scenario, plans)
    write_decisions(scenario, plans)
    paid = payments(scenario, plans)
    audit_trail(scenario, plans)
    if granted < target:
        scenario.result.notes.append(
            f"subsidies: only {granted:,} subsidised person-times by {HEADLINE_DAY} "
            f"(target {target:,}): the training step left too few outcomes"
        )
    counts = defaultdict(int)
    for plan in plans:
        counts[plan.state] += 1
    return {
        "subsidy_claims": len(plans),
        "subsidy_claim_lines": sum(len(p.outcome_ids) for p in plans),
        "subsidised_person_times_by_2020_09_30": granted,
        "subsidy_claims_in_review": counts["submitted"] + counts["district_approved"],
        "subsidy_claims_paid": paid,
        "subsidy_irregularities_seeded": irregular,
    }


def _seed_catalogue(scenario) -> None:
    """Occupation-specific prices: shortage occupations paid more from 2020-07-01 (a mid-year
    change), a few completion certificates not subsidised, and one voided row."""
    rng = scenario.rng
    occupations = list(Occupation.objects.order_by("code"))
    if not occupations:
        return
    admin = scenario.users.get("admin")
    rows = []
    shortage = rng.sample(occupations, min(8, len(occupations)))
    defaults = {5: 1000, 4: 1500, 3: 2000, 2: 3000, 1: 3500}
    for occupation in shortage:
        for level in occupation.levels or [5, 4, 3]:
            base = defaults.get(level, 1000)
            for day, factor in ((datetime.date(2020, 1, 1), 1.1), (datetime.date(2020, 7, 1), 1.3)):
                rows.append(
                    CatalogueEntry(
                        occupation=occupation,
                        level=level,
                        outcome_kind="skill_certificate",
                        amount=Decimal(round(base * factor, -1)),
                        effective_from=day,
                        source="津人社办发〔2020〕紧缺职业（工种）培训补贴标准（演示数据）",
                        created_by=admin,
                        created_at=_at(rng, day - datetime.timedelta(days=20)),
                    )
                )
    for occupation in rng.sample(occupations, min(3, len(occupations))):
        for level in occupation.levels or [5]:
            rows.append(
                CatalogueEntry(
                    occupation=occupation,
                    level=level,
                    outcome_kind="completion",
                    amount=Decimal("0.00"),
                    effective_from=datetime.date(2020, 1, 1),
                    source="该职业（工种）培训合格证书不纳入补贴目录（演示数据）",
                    created_by=admin,
                    created_at=_at(rng, datetime.date(2019, 12, 10)),
                )
            )
    wrong = CatalogueEntry(
        occupation=shortage[0],
        level=(shortage[0].levels or [5])[0],
        outcome_kind="special_ability",
        amount=Decimal("6000.00"),
        effective_from=datetime.date(2020, 3, 1),
        source="录入错误示例（演示数据）",
        created_by=admin,
        created_at=_at(rng, datetime.date(2020, 2, 20)),
        voided_at=_at(rng, datetime.date(2020, 2, 21)),
        voided_by=admin,
        void_reason="金额多录一个零，作废",
    )
    CatalogueEntry.objects.bulk_create([*rows, wrong])


def _plans(scenario) -> list[Plan]:
    """One plan per approved class with outcomes (one outcome per enrolment, the preferred
    kind), leaving about 3% of classes unclaimed (their institutions have not claimed yet)."""
    best: dict[int, tuple] = {}
    for row in (
        Outcome.objects.current()
        .filter(
            enrolment__status="completed",
            enrolment__training_class__status="approved",
            issued_on__lte=TODAY,
        )
        .values_list(
            "id",
            "enrolment_id",
            "kind",
            "issued_on",
            "enrolment__training_class_id",
            "enrolment__training_class__organisation_id",
            "enrolment__training_class__district_id",
        )
        .order_by("id")
        .iterator(chunk_size=20000)
    ):
        current = best.get(row[1])
        if current is None or KIND_ORDER[row[2]] < KIND_ORDER[current[2]]:
            best[row[1]] = row
    by_class: dict[int, Plan] = {}
    for row in sorted(best.values()):
        plan = by_class.get(row[4])
        if plan is None:
            plan = by_class[row[4]] = Plan(row[4], row[5], row[6], row[3], [])
        plan.outcome_ids.append(row[0])
        plan.ready = max(plan.ready, row[3])
    plans = sorted(by_class.values(), key=lambda p: (p.ready, p.class_id))
    rng = scenario.rng
    recent = TODAY - datetime.timedelta(days=5)
    return [p for p in plans if p.ready <= recent and rng.random() >= 0.03]


def _timeline(rng, plans: list[Plan]) -> None:
    """Submission and review days; a claim is submitted 3–30 days after its last certificate."""
    for plan in plans:
        plan.submitted = plan.ready + datetime.timedelta(days=rng.randrange(3, 31))
        plan.district_day = plan.submitted + datetime.timedelta(days=rng.randrange(2, 11))
        plan.municipal_day = plan.district_day + datetime.timedelta(days=rng.randrange(2, 11))


def _create_claims(scenario, plans: list[Plan]) -> None:
    rng = scenario.rng
    claims = []
    for index, plan in enumerate(plans, start=1):
        created = min(plan.submitted, TODAY)
        plan.claim = Claim(
            number=f"BT{created:%Y}{index:07d}",
            organisation_id=plan.organisation_id,
            training_class_id=plan.class_id,
            district_id=plan.district_id,
            created_at=_at(rng, created - datetime.timedelta(days=1)),
        )
        claims.append(plan.claim)
    claim_workflow.restore(claims, "submitted")
    Claim.objects.bulk_create(claims, batch_size=2000)
    for year in {c.number[2:6] for c in claims}:  # later claims continue the demo's numbers
        numbering.advance("BT", period=year, to=len(claims))
    if claims[0].pk is None:
        ids = dict(Claim.objects.values_list("number", "pk"))
        for claim in claims:
            claim.pk = claim.id = ids[claim.number]


def _create_lines(plans: list[Plan]) -> None:
    """Judge every outcome with the real rule, a month of claims at a time (the person's earlier
    claims are in the database by then), each line dated on its claim's day."""
    by_month: dict[tuple, list[Plan]] = defaultdict(list)
    for plan in plans:
        by_month[(plan.submitted.year, plan.submitted.month)].append(plan)
    for month in sorted(by_month):
        month_plans = by_month[month]
        outcomes = {}
        ids = [i for p in month_plans for i in p.outcome_ids]
        for start in range(0, len(ids), 5000):
            chunk = Outcome.objects.filter(pk__in=ids[start : start + 5000])
            for outcome in chunk.select_related("enrolment__training_class__occupation"):
                outcomes[outcome.pk] = outcome
        day = max(p.submitted for p in month_plans)
        decisions = evaluate(list(outcomes.values()), today=day)
        lines = []
        for plan in month_plans:
            for outcome_id in plan.outcome_ids:
                outcome = outcomes[outcome_id]
                decision, amount = _on_day(decisions[outcome_id].as_dict(), plan.submitted)
                lines.append(
                    line_workflow.start(
                        ClaimLine(
                            claim=plan.claim,
                            outcome_id=outcome_id,
                            enrolment_id=outcome.enrolment_id,
                            person_id=outcome.enrolment.person_id,
                            amount=amount,
                            decision=decision,
                            holds_outcome=decision["ok"],
                        ),
                        LineStatus.INCLUDED if decision["ok"] else LineStatus.INELIGIBLE,
                    )
                )
        ClaimLine.objects.bulk_create(lines, batch_size=2000)
    by_claim = {p.claim.pk: p for p in plans}
    ids = list(by_claim)
    for start in range(0, len(ids), 5000):
        rows = (
            ClaimLine.objects.filter(claim_id__in=ids[start : start + 5000])
            .values_list("claim_id", "id", "status", "amount")
            .order_by("id")
        )
        for claim_id, line_id, status, amount in rows:
            by_claim[claim_id].lines.append([line_id, status == "included", amount, None])


def _on_day(decision: dict, day: datetime.date) -> tuple[dict, Decimal]:
    """The decision as judged on `day` (only the deadline depends on the claim's day)."""
    price = Decimal("0.00")
    for reason in decision["reasons"]:
        if reason["rule"].startswith("subsidies.deadline"):
            ok = day <= datetime.date.fromisoformat(reason["params"]["deadline"])
            reason["params"]["claimed_on"] = day.isoformat()
            reason["rule"] = "subsidies.deadline_ok" if ok else "subsidies.deadline_passed"
            reason["ok"] = ok
            reason["message"] = render_reason(reason)
        if reason["rule"].startswith("subsidies.amount") and reason["ok"]:
            price = Decimal(reason["params"]["amount"])
    decision["ok"] = all(r["ok"] for r in decision["reasons"])
    amount = price if decision["ok"] else Decimal("0.00")
    decision["amount"] = str(amount)
    return decision, amount


def _flagged_lines(claim_ids) -> dict[int, str]:
    flagged = {}
    for start in range(0, len(claim_ids), 5000):
        for line_id, code in ClaimCheck.objects.filter(
            claim_id__in=claim_ids[start : start + 5000], superseded_at__isnull=True
        ).values_list("line_id", "code"):
            flagged.setdefault(line_id, code)
    return flagged


def _split(rng, plans: list[Plan], target: int) -> None:
    """Before anything is written: the claims that may be decided by the headline day (in the
    order their review would fall, with a margin for refused and excluded lines), and the rest,
    claimed later (their days move now, so every line is judged on its claim's final day)."""
    cumulative = 0
    for plan in sorted(plans, key=lambda p: (p.municipal_day, p.class_id)):
        plan.original = (plan.submitted, plan.district_day, plan.municipal_day)
        plan.in_time = in_time = plan.municipal_day <= HEADLINE_DAY or (
            plan.submitted + datetime.timedelta(days=4) <= HEADLINE_DAY
        )
        if in_time and cumulative < target * 1.3:
            plan.early = True
            cumulative += len(plan.outcome_ids)
        else:
            _later(rng, plan)


def _grant(rng, plans: list[Plan], flagged: dict[int, str], target: int, granted: int) -> int:
    """The early claims' fate: in the order their municipal review falls, granted (a few
    returned and resubmitted first, a few rejected) until `target` included lines are granted
    by the headline day; the early claims left over are decided after it."""
    for plan in plans:
        for line in plan.lines:
            line[3] = flagged.get(line[0])
            if line[1] and line[3] and rng.random() < 0.7:
                line[1] = False  # the reviewer excluded it (reason from the check)
        plan.included = sum(1 for line in plan.lines if line[1])
    for plan in sorted(plans, key=lambda p: (p.municipal_day, p.class_id)):
        if plan.included == 0:
            # nothing eligible: the institution withdrew its draft; or all excluded: rejected
            flagged_any = any(line[3] for line in plan.lines)
            plan.state = "rejected" if flagged_any else "withdrawn"
            continue
        if granted >= target:
            _decided_after(rng, plan)
            continue
        if plan.municipal_day > HEADLINE_DAY:  # the bureau's September push
            plan.district_day = plan.submitted + datetime.timedelta(days=2)
            plan.municipal_day = plan.district_day + datetime.timedelta(days=2)
        roll = rng.random()
        if roll < 0.02:
            plan.state = "rejected"
            continue
        plan.returned_once = roll < 0.10
        plan.state = "approved"
        granted += plan.included
    return granted


def _promote(plans: list[Plan], needed: int) -> list[Plan]:
    """More claims that could have been decided in time, back on their first timeline (when
    refusals and exclusions ate more than the margin)."""
    chosen, outcomes = [], 0
    spare = [p for p in plans if not p.early and p.in_time]
    for plan in sorted(spare, key=lambda p: (p.original[2], p.class_id)):
        if outcomes >= needed * 1.5:
            break
        plan.submitted, plan.district_day, plan.municipal_day = plan.original
        plan.early, plan.state, plan.lines, plan.returned_once = True, "pending", [], False
        chosen.append(plan)
        outcomes += len(plan.outcome_ids)
    return chosen


def _trim(plans: list[Plan], granted: int, target: int) -> int:
    """Exactly `target`: the last granted claims lose a few lines (a reviewer's exclusions)."""
    overshoot = granted - target
    approved = [
        p for p in plans if p.state == "approved" and p.early and p.municipal_day <= HEADLINE_DAY
    ]
    for plan in sorted(approved, key=lambda p: p.municipal_day, reverse=True):
        if overshoot <= 0:
            break
        room = [line for line in plan.lines if line[1]][: max(1, plan.included // 10)]
        if plan.included - len(room) < 1:
            room = room[: plan.included - 1]
        for line in room[:overshoot]:
            line[1] = False
            line[3] = line[3] or "review"
            plan.included -= 1
            overshoot -= 1
            granted -= 1
    return granted


def _decided_after(rng, plan: Plan) -> None:
    """An early claim the reviewers reached only after the headline day."""
    plan.district_day = max(plan.district_day, HEADLINE_DAY - datetime.timedelta(days=5))
    plan.municipal_day = HEADLINE_DAY + datetime.timedelta(days=rng.randrange(1, 40))
    roll = rng.random()
    if roll < 0.75:
        plan.state = "approved"
    elif roll < 0.87:
        plan.state = "district_approved"
    elif roll < 0.94:
        plan.state = "returned"
    elif roll < 0.97:
        plan.state = "rejected"
    else:
        plan.state = "submitted"


def _later(rng, plan: Plan) -> None:
    """A claim submitted after the headline day, or decided after it."""
    plan.submitted = max(
        plan.submitted, HEADLINE_DAY - datetime.timedelta(days=rng.randrange(0, 5))
    )
    if plan.submitted > TODAY:
        plan.submitted = TODAY - datetime.timedelta(days=rng.randrange(0, 20))
    plan.submitted = max(plan.submitted, plan.ready + datetime.timedelta(days=1))
    span = (TODAY - plan.submitted).days
    plan.district_day = plan.submitted + datetime.timedelta(
        days=rng.randrange(1, max(2, span // 2 + 1))
    )
    plan.municipal_day = plan.district_day + datetime.timedelta(days=rng.randrange(1, 8))
    if plan.municipal_day < HEADLINE_DAY + datetime.timedelta(days=1):
        plan.municipal_day = HEADLINE_DAY + datetime.timedelta(days=rng.randrange(1, 10))
    roll = rng.random()
    if span < 3 or roll < 0.30:
        plan.state = "submitted"
    elif roll < 0.45 or plan.municipal_day > TODAY:
        plan.state = "district_approved"
    elif roll < 0.52:
        plan.state = "returned"
    elif roll < 0.55:
        plan.state = "rejected"
    elif roll < 0.58:
        plan.state = "draft"
    else:
        plan.state = "approved"
        plan.returned_once = roll < 0.63


def _work_waiting(plans: list[Plan]) -> None:
    """Every district reviewer has claims waiting: at least two per district are still at the
    first level (the most recently submitted of those not granted by the headline day)."""
    by_district = defaultdict(list)
    for plan in plans:
        granted = plan.early and plan.state == "approved" and plan.municipal_day <= HEADLINE_DAY
        if not granted and plan.state not in ("rejected", "withdrawn", "draft"):
            by_district[plan.district_id].append(plan)
    for district_plans in by_district.values():
        waiting = sum(1 for p in district_plans if p.state == "submitted")
        others = sorted(
            (p for p in district_plans if p.state != "submitted"),
            key=lambda p: p.submitted,
            reverse=True,
        )
        for plan in others[: max(0, 2 - waiting)]:
            plan.state = "submitted"
            plan.returned_once = False


def _home_evidence(scenario, plans: list[Plan]) -> None:
    """The demo institution's claims carry their evidence, attached through the evidence
    mechanism as its staff would (while each claim is a draft, on the day before it is filed):
    an attendance sheet each, and an invoice for every other one."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from haihe.core import clock
    from haihe.demo.documents import pdf
    from haihe.evidence.services import attach

    staff = scenario.users.get("institution-staff")
    if staff is None:
        return
    home = [p for p in plans if p.organisation_id == staff.organisation_id and p.submitted]
    # the claims were written as filed; for the attaching they are drafts again
    claim_workflow.restore([p.claim for p in home], "draft", save=[])
    for n, plan in enumerate(sorted(home, key=lambda p: p.submitted)):
        claim = plan.claim
        klass = claim.training_class
        documents = [("attendance_sheet", "qiandaobiao", "Attendance sheet")]
        if n % 2 == 0:
            documents.append(("invoice", "fapiao", "Invoice"))
        with clock.pinned(min(plan.submitted, TODAY) - datetime.timedelta(days=1)):
            for kind, name, title in documents:
                body = pdf(
                    [
                        f"{title} - training class {klass.pk}",
                        f"{klass.start_date.isoformat()} to {klass.end_date.isoformat()}",
                        f"{len(plan.outcome_ids)} trainees",
                    ]
                )
                upload = SimpleUploadedFile(f"{name}-{klass.pk}.pdf", body, "application/pdf")
                attach(actor=staff, case=claim, kind=kind, uploaded_file=upload)
    claim_workflow.restore([p.claim for p in home], "submitted", save=[])


def _home_institution_has_work(scenario, plans: list[Plan]) -> None:
    """The institution whose accounts the demo prints has a claim returned for correction, so
    that a newcomer signing in as it sees what to do: its most recent claim that no headline
    figure counts (rejected, in review, or granted after the headline day) is returned."""
    account = scenario.users.get("institution-admin")
    if account is None:
        return
    home = sorted(
        (p for p in plans if p.organisation_id == account.organisation_id and p.submitted),
        key=lambda p: p.submitted,
        reverse=True,
    )
    if not home or any(p.state == "returned" for p in home):
        return

    def counted(plan):
        return plan.early and plan.state == "approved" and plan.municipal_day <= HEADLINE_DAY

    for states in (("rejected",), ("submitted", "district_approved"), ("approved",)):
        chosen = next((p for p in home if p.state in states and not counted(p)), None)
        if chosen is not None:
            chosen.state, chosen.returned_once = "returned", False
            chosen.district_day = min(chosen.district_day or TODAY, TODAY)
            return


def _irregularities(rng, plans: list[Plan]) -> int:
    """What the checks exist for, in about 4% of claims: a trainee also enrolled in another
    class at the same time, a certificate number used twice, sign-ins outside the class dates,
    too many hours in a day, an enrolment after the class ended. Added to the training data the
    way such records arrive (another institution's enrolment, a late correction, …)."""
    from haihe.training.models import Attendance, Enrolment, TrainingClass, TrainingSession

    chosen = [p for p in plans if rng.random() < 0.04]
    if not chosen:
        return 0
    outcome_rows = {
        row[0]: row[1:]
        for row in Outcome.objects.filter(
            pk__in=[p.outcome_ids[0] for p in chosen if p.outcome_ids]
        ).values_list(
            "id",
            "enrolment_id",
            "enrolment__person_id",
            "certificate_number",
            "enrolment__training_class__start_date",
            "enrolment__training_class__end_date",
        )
    }
    classes = list(
        TrainingClass.objects.filter(status="approved").values_list("id", "start_date", "end_date")
    )
    made = 0
    for plan in chosen:
        row = outcome_rows.get(plan.outcome_ids[0]) if plan.outcome_ids else None
        if row is None:
            continue
        enrolment_id, person_id, number, start, end = row
        kind = rng.choices(
            ["concurrent", "certificate", "outside", "hours", "late"], [35, 15, 20, 20, 10]
        )[0]
        if kind == "concurrent":
            other = [
                c[0] for c in classes if c[0] != plan.class_id and c[1] <= end and start <= c[2]
            ]
            pick = rng.choice(other) if other else None
            if pick and not Enrolment.objects.filter(training_class_id=pick, person_id=person_id):
                ENROLMENT_WORKFLOW.start(
                    Enrolment(
                        training_class_id=pick, person_id=person_id, enrolled_at=_at(rng, start)
                    ),
                    "enrolled",
                ).save()
                made += 1
        elif kind == "certificate":
            twins = list(
                Outcome.objects.filter(kind="skill_certificate")
                .exclude(enrolment__training_class_id=plan.class_id)
                .values_list("id", flat=True)[:200]
            )
            if twins:
                Outcome.objects.filter(pk=rng.choice(twins)).update(certificate_number=number)
                made += 1
        elif kind in ("outside", "hours"):
            if kind == "outside":
                day, begin, finish, hours = end + datetime.timedelta(days=3), 9, 12, 3
            else:
                day, begin, finish, hours = start, 6, 15, 9
            session, _created = TrainingSession.objects.get_or_create(
                training_class_id=plan.class_id,
                date=day,
                starts_at=datetime.time(begin),
                defaults={
                    "ends_at": datetime.time(finish),
                    "hours": Decimal(hours),
                    "kind": "practice",
                },
            )
            if not Attendance.objects.filter(session=session, enrolment_id=enrolment_id).exists():
                Attendance.objects.create(
                    session=session,
                    enrolment_id=enrolment_id,
                    signed_in_at=timezone.make_aware(
                        datetime.datetime.combine(day, datetime.time(begin))
                    ),
                    hours=session.hours,
                )
                made += 1
        else:
            Enrolment.objects.filter(pk=enrolment_id).update(
                enrolled_at=_at(rng, end + datetime.timedelta(days=rng.randrange(1, 10)))
            )
            made += 1
    return made
