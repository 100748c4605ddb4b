"""Bulk enrolment and bulk attendance (.xlsx / .csv), all or nothing, every bad row named.

Both go through the core import mechanism (haihe.core.imports): /imports/training-enrolments/ and
/imports/training-attendance/. An ineligible trainee is a bad row, with the rules' exact reasons:
the file is not imported until it is corrected (a refusal the institution contests is entered
one by one, where it is kept for a municipal reviewer's override).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.core import clock
from haihe.core.audit import log_actions_bulk
from haihe.core.identifiers import validate_mobile, validate_ric
from haihe.core.imports import Importer, register
from haihe.core.tabular import Column, ParsedTable, RowError
from haihe.registry.models import Affiliation, Person
from haihe.training import eligibility, perms, services
from haihe.training.models import (
    Attendance,
    Enrolment,
    SessionKind,
    TrainingClass,
    TrainingSession,
)
from haihe.training.workflows import ENROLMENT_WORKFLOW


def _int(value: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise ValidationError(_("应为整数。")) from exc


def _ric(value: str) -> str:
    return validate_ric(value).number


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip().replace("/", "-")[:10])
    except ValueError as exc:
        raise ValidationError(_("日期格式应为 YYYY-MM-DD。")) from exc


def _time(value: str) -> datetime.time:
    text = value.strip()
    if "T" in text or " " in text:
        text = text.replace("T", " ").split(" ")[-1]
    try:
        return datetime.time.fromisoformat(text[:5] if len(text) >= 5 else text)
    except ValueError as exc:
        raise ValidationError(_("时间格式应为 HH:MM。")) from exc


def _moment(value: str) -> datetime.datetime:
    text = value.strip().replace("/", "-").replace("T", " ")
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(_("时间格式应为 YYYY-MM-DD HH:MM。")) from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _kind(value: str) -> str:
    value = value.strip()
    for code, label in SessionKind.choices:
        if value.lower() == code or value == str(label):
            return code
    raise ValidationError(_("应为“理论”或“实操”。"))


def _classes_of(actor, ids) -> dict[int, TrainingClass]:
    """The actor's own classes among `ids` (another organisation's class is 'not found')."""
    return {
        c.pk: c
        for c in TrainingClass.objects.visible_to(actor)
        .filter(pk__in=ids, organisation_id=actor.organisation_id)
        .select_related("occupation")
    }


# Enrolments --------------------------------------------------------------------------------

ENROLMENT_COLUMNS = [
    Column("class_id", gettext_lazy("班级编号"), _int, example="1024"),
    Column("ric", gettext_lazy("居民身份证号码"), _ric, example="120101199003071234"),
    Column("name", gettext_lazy("姓名"), str.strip, example="张伟"),
    Column(
        "mobile", gettext_lazy("手机号码"), validate_mobile, required=False, example="13812345678"
    ),
]
COL = {c.key: str(c.label) for c in ENROLMENT_COLUMNS}


@dataclass
class EnrolmentPlan:
    rows: list[tuple[int, dict, TrainingClass, Person | None]] = field(default_factory=list)
    decisions: dict[int, object] = field(default_factory=dict)


def _plan_enrolments(actor, parsed: ParsedTable) -> tuple[list[RowError], EnrolmentPlan]:
    errors: list[RowError] = []
    plan = EnrolmentPlan()
    good = [(n, r) for n, r in parsed.rows if r.get("class_id") and r.get("ric")]
    classes = _classes_of(actor, {r["class_id"] for _n, r in good})
    people = {p.ric: p for p in Person.objects.filter(ric__in=[r["ric"] for _n, r in good])}
    enrolled = set(
        Enrolment.objects.filter(
            training_class_id__in=list(classes), person__ric__in=list(people)
        ).values_list("training_class_id", "person__ric")
    )
    taken = dict(
        Enrolment.objects.filter(training_class_id__in=list(classes))
        .active()
        .values_list("training_class_id")
        .annotate(n=models.Count("id"))
        .values_list("training_class_id", "n")
    )
    history = eligibility.histories([p.pk for p in people.values()])
    params = eligibility.Params()
    today = clock.today()
    seen: dict[tuple[int, str], int] = {}
    added: dict[str, list[eligibility.TrainingFacts]] = defaultdict(list)
    for number, row in good:
        training_class = classes.get(row["class_id"])
        if training_class is None:
            errors.append(
                RowError(number, COL["class_id"], _("没有这个班级，或不是本单位的班级。"))
            )
            continue
        blocker = services.enrolment_blockers(training_class, today)
        if blocker:
            errors.append(RowError(number, COL["class_id"], blocker, str(row["class_id"])))
            continue
        key = (training_class.pk, row["ric"])
        if key in seen:
            errors.append(
                RowError(number, COL["ric"], _("与第 %(row)d 行重复。") % {"row": seen[key]})
            )
            continue
        seen[key] = number
        person = people.get(row["ric"])
        if person is not None and row.get("name") and person.name != row["name"]:
            errors.append(
                RowError(number, COL["name"], _("该身份证号码已登记，但姓名与登记信息不一致。"))
            )
            continue
        if key in enrolled:
            errors.append(RowError(number, COL["ric"], _("此人已在本班报名。")))
            continue
        taken[training_class.pk] = taken.get(training_class.pk, 0) + 1
        if taken[training_class.pk] > training_class.capacity:
            errors.append(
                RowError(
                    number,
                    COL["class_id"],
                    _("培训班已满（计划人数 %(n)d 人）。") % {"n": training_class.capacity},
                )
            )
            continue
        facts = eligibility.TrainingFacts.of(training_class)
        if person is not None:
            person_facts = eligibility.PersonFacts.of(person)
            others = history.get(person.pk, [])
        else:
            ric_facts = validate_ric(row["ric"])
            person_facts = eligibility.PersonFacts(row["ric"], ric_facts.birth_date, ric_facts.sex)
            others = []
        decision = eligibility.check(
            person_facts, facts, [*others, *added[row["ric"]]], params=params
        )
        if not decision.ok:
            errors.append(
                RowError(number, COL["ric"], eligibility.refusal_text(decision), row["ric"][:4])
            )
            continue
        added[row["ric"]].append(facts)
        plan.rows.append((number, row, training_class, person))
        plan.decisions[number] = decision
    return errors, plan


def check_enrolments(actor, parsed: ParsedTable) -> list[RowError]:
    return _plan_enrolments(actor, parsed)[0]


def write_enrolments(actor, parsed: ParsedTable) -> dict:
    errors, plan = _plan_enrolments(actor, parsed)
    if errors:
        raise ValidationError(_("数据在检查后发生了变化，请重新上传。"))
    with transaction.atomic():
        new_people = {}
        for _number, row, training_class, person in plan.rows:
            if person is None and row["ric"] not in new_people:
                facts = validate_ric(row["ric"])
                new_people[row["ric"]] = Person(
                    ric=facts.number,
                    name=row["name"],
                    birth_date=facts.birth_date,
                    sex=facts.sex,
                    mobile=row.get("mobile") or "",
                    district_id=training_class.district_id,
                )
        Person.objects.bulk_create(list(new_people.values()), batch_size=1000)
        ids = dict(Person.objects.filter(ric__in=list(new_people)).values_list("ric", "pk"))
        for p in new_people.values():
            p.pk = p.id = ids[p.ric]
        log_actions_bulk(
            actor=actor,
            action="person.registered",
            targets=list(new_people.values()),
            channel="import",
        )
        enrolments = []
        person_ids = set()
        for number, row, training_class, person in plan.rows:
            person = person or new_people[row["ric"]]
            person_ids.add(person.pk)
            enrolments.append(
                ENROLMENT_WORKFLOW.start(
                    Enrolment(
                        training_class=training_class,
                        person_id=person.pk,
                        eligible=True,
                        eligibility=eligibility.stored(plan.decisions[number]),
                    ),
                    "enrolled",
                )
            )
        Enrolment.objects.bulk_create(enrolments, batch_size=1000)
        Affiliation.objects.bulk_create(
            [
                Affiliation(
                    organisation_id=actor.organisation_id,
                    person_id=pid,
                    relation="trainee",
                    since=clock.today(),
                )
                for pid in person_ids
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        saved = list(
            Enrolment.objects.filter(
                registration__in=[e.registration for e in enrolments]
            ).select_related("training_class")
        )
        by_registration = {e.registration: e for e in enrolments}
        log_actions_bulk(
            actor=actor,
            action="enrolment.enrolled",
            targets=saved,
            data_for=lambda e: {
                "person": e.person_id,
                "eligibility": by_registration[e.registration].eligibility,
            },
            channel="import",
        )
    return {"created": len(enrolments), "updated": 0, "unchanged": 0, "people": len(new_people)}


# Attendance --------------------------------------------------------------------------------

ATTENDANCE_COLUMNS = [
    Column("class_id", gettext_lazy("班级编号"), _int, example="1024"),
    Column("ric", gettext_lazy("居民身份证号码"), _ric, example="120101199003071234"),
    Column("date", gettext_lazy("课次日期"), _date, example="2020-06-01"),
    Column("starts_at", gettext_lazy("开始时间"), _time, example="09:00"),
    Column("ends_at", gettext_lazy("结束时间"), _time, example="12:00"),
    Column(
        "signed_in_at",
        gettext_lazy("签到时间"),
        _moment,
        required=False,
        example="2020-06-01 08:52",
    ),
    Column("kind", gettext_lazy("课次类型"), _kind, required=False, example="理论"),
]
ACOL = {c.key: str(c.label) for c in ATTENDANCE_COLUMNS}


@dataclass
class AttendancePlan:
    # (class id, date, starts_at) -> (ends_at, hours, kind, existing session or None)
    sessions: dict[tuple, list] = field(default_factory=dict)
    # (session key, enrolment, signed_in_at)
    signins: list[tuple[tuple, Enrolment, datetime.datetime]] = field(default_factory=list)


def _plan_attendance(actor, parsed: ParsedTable) -> tuple[list[RowError], AttendancePlan]:
    errors: list[RowError] = []
    plan = AttendancePlan()
    complete = ("class_id", "ric", "date", "starts_at", "ends_at")
    good = [(n, r) for n, r in parsed.rows if all(r.get(k) is not None for k in complete)]
    classes = _classes_of(actor, {r["class_id"] for _n, r in good})
    enrolments = {
        (e.training_class_id, e.person.ric): e
        for e in Enrolment.objects.filter(
            training_class_id__in=list(classes), person__ric__in={r["ric"] for _n, r in good}
        ).select_related("person", "training_class")
    }
    existing_sessions = {
        (s.training_class_id, s.date, s.starts_at): s
        for s in TrainingSession.objects.filter(training_class_id__in=list(classes))
    }
    signed = set(
        Attendance.objects.filter(session__training_class_id__in=list(classes)).values_list(
            "session_id", "enrolment_id"
        )
    )
    pending_hours: dict[tuple[int, datetime.date], Decimal] = defaultdict(Decimal)
    seen: dict[tuple, int] = {}
    for number, row in good:
        training_class = classes.get(row["class_id"])
        if training_class is None:
            errors.append(
                RowError(number, ACOL["class_id"], _("没有这个班级，或不是本单位的班级。"))
            )
            continue
        if not perms.can_record_attendance(actor, training_class):
            errors.append(
                RowError(
                    number, ACOL["class_id"], _("只有已备案的线下或线上线下结合培训班可以签到。")
                )
            )
            continue
        key = (training_class.pk, row["date"], row["starts_at"])
        session = existing_sessions.get(key)
        if session is not None:
            if session.ends_at != row["ends_at"]:
                errors.append(
                    RowError(
                        number,
                        ACOL["ends_at"],
                        _("与已有课次的结束时间（%(t)s）不一致。")
                        % {"t": session.ends_at.strftime("%H:%M")},
                    )
                )
                continue
        elif key in plan.sessions:
            if plan.sessions[key][0] != row["ends_at"]:
                errors.append(
                    RowError(number, ACOL["ends_at"], _("同一课次的结束时间前后不一致。"))
                )
                continue
        else:
            try:
                hours = services.validate_session(
                    training_class,
                    row["date"],
                    row["starts_at"],
                    row["ends_at"],
                    None,
                    pending_hours_that_day=pending_hours[(training_class.pk, row["date"])],
                )
            except ValidationError as exc:
                errors.append(RowError(number, ACOL["date"], " ".join(exc.messages)))
                continue
            pending_hours[(training_class.pk, row["date"])] += hours
            plan.sessions[key] = [row["ends_at"], hours, row.get("kind") or "practice", None]
        enrolment = enrolments.get((training_class.pk, row["ric"]))
        if enrolment is None:
            errors.append(RowError(number, ACOL["ric"], _("此人未在本班报名。"), row["ric"][:4]))
            continue
        if (key, enrolment.pk) in seen:
            errors.append(
                RowError(
                    number,
                    ACOL["ric"],
                    _("与第 %(row)d 行重复。") % {"row": seen[(key, enrolment.pk)]},
                )
            )
            continue
        seen[(key, enrolment.pk)] = number
        if session is not None and (session.pk, enrolment.pk) in signed:
            errors.append(RowError(number, ACOL["ric"], _("已签到。")))
            continue
        moment = row.get("signed_in_at") or timezone.make_aware(
            datetime.datetime.combine(row["date"], row["starts_at"])
        )
        probe = session or TrainingSession(training_class=training_class, date=row["date"])
        problem = services.attendance_problem(probe, enrolment, moment)
        if problem:
            errors.append(RowError(number, ACOL["signed_in_at"], problem))
            continue
        if session is not None:
            plan.sessions.setdefault(key, [session.ends_at, session.hours, session.kind, session])
        plan.signins.append((key, enrolment, moment))
    return errors, plan


def check_attendance(actor, parsed: ParsedTable) -> list[RowError]:
    return _plan_attendance(actor, parsed)[0]


def write_attendance(actor, parsed: ParsedTable) -> dict:
    errors, plan = _plan_attendance(actor, parsed)
    if errors:
        raise ValidationError(_("数据在检查后发生了变化，请重新上传。"))
    with transaction.atomic():
        new_sessions = {
            key: TrainingSession(
                training_class_id=key[0],
                date=key[1],
                starts_at=key[2],
                ends_at=spec[0],
                hours=spec[1],
                kind=spec[2],
            )
            for key, spec in plan.sessions.items()
            if spec[3] is None
        }
        TrainingSession.objects.bulk_create(list(new_sessions.values()))
        sessions = {
            (s.training_class_id, s.date, s.starts_at): s
            for s in TrainingSession.objects.filter(
                training_class_id__in={k[0] for k in plan.sessions}
            )
        }
        rows = [
            Attendance(
                session=sessions[key],
                enrolment=enrolment,
                signed_in_at=moment,
                hours=sessions[key].hours,
                recorded_by=actor,
                channel="import",
            )
            for key, enrolment, moment in plan.signins
        ]
        Attendance.objects.bulk_create(rows, batch_size=1000)
        added: dict[int, Decimal] = defaultdict(Decimal)
        for row in rows:
            added[row.enrolment.pk] += row.hours
        touched = list(
            Enrolment.objects.filter(pk__in=list(added)).select_related("training_class")
        )
        for enrolment in touched:
            enrolment.attended_hours += added[enrolment.pk]
        Enrolment.objects.bulk_update(touched, ["attended_hours"], batch_size=1000)
        log_actions_bulk(
            actor=actor,
            action="attendance.recorded",
            targets=touched,
            data_for=lambda e: {"hours": added[e.pk]},
            channel="import",
        )
        result = services.evaluate_completion(list(added))
    return {
        "created": len(rows),
        "updated": 0,
        "unchanged": 0,
        "sessions": len(new_sessions),
        **result,
    }


ENROLMENT_IMPORTER = register(
    Importer(
        kind="training-enrolments",
        label=gettext_lazy("培训报名"),
        columns=ENROLMENT_COLUMNS,
        check=check_enrolments,
        write=write_enrolments,
        may_import=perms.can_import_enrolments,
    )
)
ATTENDANCE_IMPORTER = register(
    Importer(
        kind="training-attendance",
        label=gettext_lazy("培训签到"),
        columns=ATTENDANCE_COLUMNS,
        check=check_attendance,
        write=write_attendance,
        may_import=perms.can_import_attendance,
    )
)
