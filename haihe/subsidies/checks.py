"""Checks run on every submitted claim and shown to reviewers with their evidence.

A check does not refuse anything by itself: it raises a fact a reviewer must look at before
approving (the reviewer may exclude the line, return or reject the claim).

- `concurrent_classes`: the same person enrolled in another class whose dates overlap;
- `certificate_reused`: the certificate number also appears on another trainee's outcome;
- `attendance_outside_dates`: sign-ins dated before the class started or after it ended;
- `daily_hours_exceeded`: more signed-in hours in one day (all classes) than the dated limit;
- `late_enrolment`: enrolled after the class had ended.

`run_checks(claim_ids)` works set-wise with a fixed number of queries, whatever the number of
claims and lines (the demo checks every claim in one call).
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from haihe.core import clock
from haihe.core.identifiers import mask_ric
from haihe.subsidies.rules import Timeline

DAILY_HOURS_KEY = "training.max_hours_per_day"

CHECK_LABELS = {
    "concurrent_classes": _("同一时间参加两个培训班"),
    "certificate_reused": _("同一证书重复使用"),
    "attendance_outside_dates": _("签到不在培训期间"),
    "daily_hours_exceeded": _("单日学时超过上限"),
    "late_enrolment": _("结业后报名"),
}

CHECK_MESSAGES = {
    "concurrent_classes": _(
        "{person} 同时在 {organisation} 的培训班“{other_class}”（{start} 至 {end}）在训，"
        "与本班培训期间重叠。"
    ),
    "certificate_reused": _(
        "证书编号 {certificate} 也登记在 {other_person} 的培训成果上（培训班“{other_class}”）。"
    ),
    "attendance_outside_dates": _(
        "{person} 有 {count} 条签到不在培训期间（{start} 至 {end}），例如 {example}。"
    ),
    "daily_hours_exceeded": _(
        "{person} 在 {day} 签到学时合计 {hours}，超过每日上限 {limit}（{effective_from} 起执行）。"
    ),
    "late_enrolment": _("{person} 的报名时间 {enrolled_on} 晚于培训班结业日期 {end}。"),
}


def check_message(code: str, evidence: dict) -> str:
    template = CHECK_MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template).format(**evidence)
    except (KeyError, IndexError, ValueError):
        return str(template)


def _line_rows(claim_ids):
    from haihe.subsidies.models import ClaimLine

    return ClaimLine.objects.filter(claim_id__in=claim_ids).exclude(status="ineligible")


def run_checks(claim_ids: list[int]) -> int:
    """Check the given claims again: supersede their current checks, store the new ones, and
    update each claim's count of raised checks. Returns the number of checks raised."""
    from haihe.subsidies.models import Claim, ClaimCheck

    claim_ids = list(claim_ids)
    if not claim_ids:
        return 0
    lines = list(
        _line_rows(claim_ids).values(
            "id",
            "claim_id",
            "person_id",
            "person__name",
            "enrolment_id",
            "outcome_id",
            "outcome__certificate_number",
            "enrolment__training_class_id",
            "enrolment__training_class__start_date",
            "enrolment__training_class__end_date",
        )
    )
    raised: list[ClaimCheck] = []
    for finder in (_concurrent, _certificate_reused, _attendance_outside, _daily_hours, _late):
        for line, code, evidence in finder(claim_ids, lines):
            raised.append(
                ClaimCheck(
                    claim_id=line["claim_id"], line_id=line["id"], code=code, evidence=evidence
                )
            )
    now = clock.now()
    ClaimCheck.objects.filter(claim_id__in=claim_ids, superseded_at__isnull=True).update(
        superseded_at=now
    )
    ClaimCheck.objects.bulk_create(raised, batch_size=2000)
    counts: dict[int, int] = defaultdict(int)
    for check in raised:
        counts[check.claim_id] += 1
    changed = [Claim(pk=pk, raised_checks=counts.get(pk, 0)) for pk in claim_ids]
    Claim.objects.bulk_update(changed, ["raised_checks"], batch_size=2000)
    return len(raised)


def _person(line) -> str:
    return line["person__name"]


def _concurrent(claim_ids, lines):
    from haihe.training.models import Enrolment

    person_ids = _line_rows(claim_ids).values("person_id")
    enrolments = defaultdict(list)
    for row in (
        Enrolment.objects.filter(person_id__in=person_ids, status__in=["enrolled", "completed"])
        .exclude(training_class__status="cancelled")
        .values(
            "person_id",
            "training_class_id",
            "training_class__name",
            "training_class__organisation__name",
            "training_class__start_date",
            "training_class__end_date",
        )
    ):
        enrolments[row["person_id"]].append(row)
    for line in lines:
        start = line["enrolment__training_class__start_date"]
        end = line["enrolment__training_class__end_date"]
        for other in enrolments[line["person_id"]]:
            if other["training_class_id"] == line["enrolment__training_class_id"]:
                continue
            if (
                other["training_class__start_date"] <= end
                and start <= other["training_class__end_date"]
            ):
                yield (
                    line,
                    "concurrent_classes",
                    {
                        "person": _person(line),
                        "other_class_id": other["training_class_id"],
                        "other_class": other["training_class__name"]
                        or str(other["training_class_id"]),
                        "organisation": other["training_class__organisation__name"],
                        "start": other["training_class__start_date"].isoformat(),
                        "end": other["training_class__end_date"].isoformat(),
                    },
                )


def _certificate_reused(claim_ids, lines):
    from haihe.training.models import Outcome

    numbers = _line_rows(claim_ids).values("outcome__certificate_number")
    by_number = defaultdict(list)
    for row in Outcome.objects.filter(
        voided_at__isnull=True, certificate_number__in=numbers
    ).values(
        "id",
        "certificate_number",
        "enrolment__person__name",
        "enrolment__person__ric",
        "enrolment__training_class_id",
        "enrolment__training_class__name",
    ):
        by_number[row["certificate_number"]].append(row)
    for line in lines:
        for other in by_number[line["outcome__certificate_number"]]:
            if other["id"] == line["outcome_id"]:
                continue
            yield (
                line,
                "certificate_reused",
                {
                    "certificate": line["outcome__certificate_number"],
                    "other_outcome_id": other["id"],
                    "other_person": f"{other['enrolment__person__name']} "
                    f"({mask_ric(other['enrolment__person__ric'])})",
                    "other_class": other["enrolment__training_class__name"]
                    or str(other["enrolment__training_class_id"]),
                },
            )


def _attendance_outside(claim_ids, lines):
    from haihe.training.models import Attendance

    enrolment_ids = _line_rows(claim_ids).values("enrolment_id")
    start = F("session__training_class__start_date")
    end = F("session__training_class__end_date")
    rows = (
        Attendance.objects.filter(enrolment_id__in=enrolment_ids)
        .annotate(day=TruncDate("signed_in_at"))
        .filter(
            Q(day__lt=start)
            | Q(day__gt=end)
            | Q(session__date__lt=start)
            | Q(session__date__gt=end)
        )
        .values("enrolment_id", "day", "session__date")
        .order_by("enrolment_id", "day")
    )
    found = defaultdict(list)
    for row in rows:
        found[row["enrolment_id"]].append(row)
    for line in lines:
        hits = found.get(line["enrolment_id"])
        if not hits:
            continue
        example = hits[0]["day"] if hits[0]["day"] != hits[0]["session__date"] else None
        yield (
            line,
            "attendance_outside_dates",
            {
                "person": _person(line),
                "count": len(hits),
                "start": line["enrolment__training_class__start_date"].isoformat(),
                "end": line["enrolment__training_class__end_date"].isoformat(),
                "example": (example or hits[0]["session__date"]).isoformat(),
                "days": sorted({(h["day"] or h["session__date"]).isoformat() for h in hits})[:20],
            },
        )


def _daily_hours(claim_ids, lines):
    from haihe.training.models import Attendance

    timeline = Timeline(DAILY_HOURS_KEY)
    if not timeline.rows:
        return
    lowest = min(Decimal(str(r["value"])) for r in timeline.rows)
    person_ids = _line_rows(claim_ids).values("person_id")
    totals = (
        Attendance.objects.filter(enrolment__person_id__in=person_ids)
        .values("enrolment__person_id", "session__date")
        .annotate(total=Sum("hours"))
        .filter(total__gt=lowest)
        .order_by()
    )
    long_days = defaultdict(list)
    for row in totals:
        limit = timeline.at(row["session__date"])
        if limit is not None and row["total"] > Decimal(str(limit.value)):
            long_days[row["enrolment__person_id"]].append(
                (row["session__date"], row["total"], limit)
            )
    for line in lines:
        for day, total, limit in long_days.get(line["person_id"], []):
            if not (
                line["enrolment__training_class__start_date"]
                <= day
                <= line["enrolment__training_class__end_date"]
            ):
                continue
            yield (
                line,
                "daily_hours_exceeded",
                {
                    "person": _person(line),
                    "day": day.isoformat(),
                    "hours": _plain(total),
                    "limit": _plain(Decimal(str(limit.value))),
                    "parameter": DAILY_HOURS_KEY,
                    "effective_from": limit.effective_from.isoformat(),
                },
            )


def _late(claim_ids, lines):
    late = dict(
        _line_rows(claim_ids)
        .annotate(enrolled_on=TruncDate("enrolment__enrolled_at"))
        .filter(enrolled_on__gt=F("enrolment__training_class__end_date"))
        .values_list("id", "enrolled_on")
    )
    for line in lines:
        if line["id"] in late:
            yield (
                line,
                "late_enrolment",
                {
                    "person": _person(line),
                    "enrolled_on": _iso(late[line["id"]]),
                    "end": line["enrolment__training_class__end_date"].isoformat(),
                },
            )


def _plain(number: Decimal) -> str:
    """10.00 -> "10", 7.50 -> "7.5" (never "1E+1")."""
    return format(number.normalize(), "f")


def _iso(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return value.isoformat() if value is not None else ""
