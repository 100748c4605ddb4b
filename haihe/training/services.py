"""Writes of the training module: keyword-only, the acting user first, atomic, audited."""

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haihe.core import clock
from haihe.core.audit import diff, log_action, log_actions_bulk
from haihe.core.identifiers import certificate_level, validate_certificate_number
from haihe.registry.models import Occupation, Organisation, OrgKind, Person
from haihe.training import eligibility, online, perms
from haihe.training.models import (
    Attendance,
    Enrolment,
    EnrolmentStatus,
    Mode,
    Outcome,
    OutcomeKind,
    TrainingClass,
    TrainingSession,
)
from haihe.training.workflows import CLASS_WORKFLOW, ENROLMENT_WORKFLOW

CLASS_FIELDS = (
    "name",
    "occupation_id",
    "level",
    "mode",
    "platform_id",
    "planned_theory_hours",
    "planned_practice_hours",
    "start_date",
    "end_date",
    "district_id",
    "venue",
    "teachers",
    "capacity",
)
HALF = Decimal("0.5")


# Classes ----------------------------------------------------------------------------------


def validate_class(data: dict) -> None:
    """Field and cross-field checks of a class; raises ValidationError({field: [message]})."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    occupation = data.get("occupation")
    level = data.get("level")
    if occupation is not None and not occupation.active:
        add("occupation", _("该职业（工种）已停用。"))
    if occupation is not None and level and occupation.levels and level not in occupation.levels:
        add("level", _("该职业（工种）不开设此等级。"))
    if level is not None and not 1 <= int(level) <= 5:
        add("level", _("等级应为 1 至 5。"))
    mode, platform = data.get("mode"), data.get("platform")
    if mode in (Mode.ONLINE, Mode.BLENDED):
        if platform is None:
            add("platform", _("线上或线上线下结合的培训须选择线上培训平台。"))
        elif not platform.has_kind(OrgKind.ONLINE_TRAINING_PLATFORM):
            add("platform", _("所选单位不是线上培训平台。"))
    elif mode == Mode.OFFLINE and platform is not None:
        add("platform", _("线下培训不选择线上培训平台。"))
    theory = data.get("planned_theory_hours") or Decimal(0)
    practice = data.get("planned_practice_hours") or Decimal(0)
    if theory < 0:
        add("planned_theory_hours", _("学时不能为负数。"))
    if practice < 0:
        add("planned_practice_hours", _("学时不能为负数。"))
    if theory + practice <= 0:
        add("planned_practice_hours", _("计划学时合计须大于 0。"))
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        add("end_date", _("结业日期不能早于开班日期。"))
    if data.get("capacity") is not None and int(data["capacity"]) < 1:
        add("capacity", _("计划人数至少为 1。"))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def class_file(
    *,
    actor,
    occupation: Occupation,
    level: int,
    mode: str,
    planned_theory_hours: Decimal,
    planned_practice_hours: Decimal,
    start_date: datetime.date,
    end_date: datetime.date,
    district,
    capacity: int,
    platform: Organisation | None = None,
    name: str = "",
    venue: str = "",
    teachers: str = "",
    channel: str = "web",
) -> TrainingClass:
    """File a class (开班备案) as a draft of the actor's organisation."""
    if not perms.can_file_class(actor):
        raise PermissionDenied(_("只有培训机构或企业的账户可以开班备案。"))
    data = {
        "occupation": occupation,
        "level": level,
        "mode": mode,
        "platform": platform,
        "planned_theory_hours": planned_theory_hours,
        "planned_practice_hours": planned_practice_hours,
        "start_date": start_date,
        "end_date": end_date,
        "capacity": capacity,
    }
    validate_class(data)
    training_class = TrainingClass.objects.create(
        organisation_id=actor.organisation_id,
        name=(name or "").strip() or f"{occupation.name_zh}{level}级培训班",
        district=district,
        venue=venue,
        teachers=teachers,
        created_by=actor,
        **{k: v for k, v in data.items()},
    )
    log_action(
        actor=actor,
        action="training_class.filed",
        target=training_class,
        data={f: getattr(training_class, f) for f in CLASS_FIELDS},
        channel=channel,
    )
    return training_class


@transaction.atomic
def class_update(*, actor, training_class: TrainingClass, channel: str = "web", **changes):
    if not perms.can_edit_class(actor, training_class):
        raise PermissionDenied(_("只有开班单位可以修改草稿或被退回的培训班。"))
    allowed = {
        "name",
        "occupation",
        "level",
        "mode",
        "platform",
        "planned_theory_hours",
        "planned_practice_hours",
        "start_date",
        "end_date",
        "district",
        "venue",
        "teachers",
        "capacity",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = {f: getattr(training_class, f) for f in CLASS_FIELDS}
    for key, value in changes.items():
        setattr(training_class, key, value)
    validate_class(
        {
            "occupation": training_class.occupation,
            "level": training_class.level,
            "mode": training_class.mode,
            "platform": training_class.platform,
            "planned_theory_hours": training_class.planned_theory_hours,
            "planned_practice_hours": training_class.planned_practice_hours,
            "start_date": training_class.start_date,
            "end_date": training_class.end_date,
            "capacity": training_class.capacity,
        }
    )
    training_class.save()
    changed = diff(before, {f: getattr(training_class, f) for f in CLASS_FIELDS})
    if changed:
        log_action(
            actor=actor,
            action="training_class.updated",
            target=training_class,
            data=changed,
            channel=channel,
        )
    return training_class


def class_transition(
    *, actor, training_class: TrainingClass, name: str, reason: str = "", channel: str = "web"
) -> TrainingClass:
    """Submit, approve, return or cancel a class (see workflow.CLASS_WORKFLOW)."""
    now = clock.now()
    extra: dict = {}
    if name == "submit":
        extra = {"submitted_at": now}
    elif name in ("approve", "return"):
        extra = {
            "reviewed_at": now,
            "reviewed_by": actor,
            "return_reason": reason.strip() if name == "return" else "",
        }
    return CLASS_WORKFLOW.apply(
        actor=actor,
        obj=training_class,
        name=name,
        reason=reason,
        channel=channel,
        extra_updates=extra,
    )


# Enrolment ---------------------------------------------------------------------------------


def enrolment_blockers(training_class: TrainingClass, on: datetime.date) -> str | None:
    """Why nobody can enrol in this class now (a class-level reason), or None."""
    if training_class.status != "approved":
        return _("培训班尚未备案通过，不能报名。")
    if on > training_class.end_date:
        return _("培训班已于 %(day)s 结业，不能再报名。") % {
            "day": training_class.end_date.isoformat()
        }
    return None


@transaction.atomic
def enrol(
    *, actor, training_class: TrainingClass, person: Person, channel: str = "web"
) -> Enrolment:
    """Enrol a person, checking eligibility. An ineligible person's enrolment is kept as
    "refused" with every reason, so that a municipal reviewer can override it."""
    if not perms.can_enrol(actor, training_class):
        raise PermissionDenied(_("只有开班单位可以为已备案的培训班报名。"))
    # Serialise enrolments of one person: the history the rules read must not change under us.
    person = Person.objects.select_for_update().get(pk=person.pk)
    locked_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    blocker = enrolment_blockers(locked_class, clock.today())
    if blocker:
        raise ValidationError(blocker)
    if Enrolment.objects.filter(training_class=locked_class, person=person).exists():
        raise ValidationError(_("此人已在本班报名。"))
    taken = Enrolment.objects.filter(training_class=locked_class).active().count()
    if taken >= locked_class.capacity:
        raise ValidationError(_("培训班已满（计划人数 %(n)d 人）。") % {"n": locked_class.capacity})
    decision = eligibility.decide_for(person, locked_class)
    enrolment = Enrolment(
        training_class=locked_class,
        person=person,
        eligible=decision.ok,
        eligibility=eligibility.stored(decision),
    )
    ENROLMENT_WORKFLOW.start(
        enrolment, EnrolmentStatus.ENROLLED if decision.ok else EnrolmentStatus.REFUSED
    )
    enrolment.save()
    log_action(
        actor=actor,
        action="enrolment.enrolled" if decision.ok else "enrolment.refused",
        target=enrolment,
        data={"person": person.pk, "eligibility": decision.as_dict()},
        channel=channel,
    )
    return enrolment


@transaction.atomic
def enrol_by_ric(
    *,
    actor,
    training_class: TrainingClass,
    ric: str,
    name: str,
    mobile: str = "",
    channel: str = "web",
) -> Enrolment:
    """Enrol by RIC and name, registering the person first if they are new to the registry.
    The enrolment is the institution's reason to handle the person: it ties them to it as a
    trainee (a registration alone would not)."""
    from haihe.registry.services import person_identify

    if not perms.can_enrol(actor, training_class):
        raise PermissionDenied(_("只有开班单位可以为已备案的培训班报名。"))
    person = person_identify(
        actor=actor,
        ric=ric,
        name=name,
        district=training_class.district,
        mobile=mobile,
        relation="trainee",
        channel=channel,
    )
    return enrol(actor=actor, training_class=training_class, person=person, channel=channel)


def enrolment_override(*, actor, enrolment: Enrolment, reason: str, channel: str = "web"):
    """A municipal reviewer admits a refused person, with a reason (audited)."""
    return ENROLMENT_WORKFLOW.apply(
        actor=actor,
        obj=enrolment,
        name="override",
        reason=reason,
        channel=channel,
        data={
            "refusals": [
                r["rule"] for r in enrolment.eligibility.get("reasons", []) if not r.get("ok")
            ]
        },
        extra_updates={
            "override_reason": reason.strip(),
            "overridden_by": actor,
            "overridden_at": clock.now(),
        },
    )


def enrolment_withdraw(*, actor, enrolment: Enrolment, reason: str, channel: str = "web"):
    return ENROLMENT_WORKFLOW.apply(
        actor=actor,
        obj=enrolment,
        name="withdraw",
        reason=reason,
        channel=channel,
        extra_updates={"withdrawn_at": clock.now()},
    )


# Sessions and attendance -------------------------------------------------------------------


def _duration_hours(day: datetime.date, starts_at: datetime.time, ends_at: datetime.time):
    seconds = (
        datetime.datetime.combine(day, ends_at) - datetime.datetime.combine(day, starts_at)
    ).total_seconds()
    return Decimal(seconds) / Decimal(3600)


def validate_session(
    training_class: TrainingClass,
    day: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    hours: Decimal | None,
    *,
    pending_hours_that_day: Decimal = Decimal(0),
) -> Decimal:
    """The session's hours, or a ValidationError naming what is wrong."""
    errors: dict[str, list[str]] = {}
    if not training_class.start_date <= day <= training_class.end_date:
        errors["date"] = [
            _("课次日期须在培训期间（%(start)s 至 %(end)s）。")
            % {"start": training_class.start_date, "end": training_class.end_date}
        ]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("结束时间须晚于开始时间。")]
        raise ValidationError(errors)
    duration = _duration_hours(day, starts_at, ends_at)
    if hours is None:
        hours = (duration / HALF).quantize(Decimal(1), rounding=ROUND_HALF_UP) * HALF
    if hours <= 0 or hours > duration:
        errors["hours"] = [_("学时须大于 0 且不超过课次时长。")]
    limit = eligibility.Params().get(eligibility.MAX_HOURS_PER_DAY, day)
    existing = TrainingSession.objects.filter(training_class=training_class, date=day).aggregate(
        total=models.Sum("hours")
    )["total"] or Decimal(0)
    if existing + pending_hours_that_day + hours > Decimal(str(limit.value)):
        errors.setdefault("hours", []).append(
            _("当日学时合计 %(total)s 超过每日上限 %(limit)s（%(since)s 起施行）。")
            % {
                "total": existing + pending_hours_that_day + hours,
                "limit": limit.value,
                "since": limit.effective_from,
            }
        )
    if errors:
        raise ValidationError(errors)
    return hours


@transaction.atomic
def session_create(
    *,
    actor,
    training_class: TrainingClass,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    kind: str,
    hours: Decimal | None = None,
    topic: str = "",
    channel: str = "web",
) -> TrainingSession:
    if not perms.can_record_attendance(actor, training_class):
        raise PermissionDenied(_("只有开班单位可以为已备案的线下培训安排课次。"))
    TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if TrainingSession.objects.filter(
        training_class=training_class, date=date, starts_at=starts_at
    ).exists():
        raise ValidationError({"starts_at": [_("该时间已有课次。")]})
    hours = validate_session(training_class, date, starts_at, ends_at, hours)
    session = TrainingSession.objects.create(
        training_class=training_class,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        hours=hours,
        kind=kind,
        topic=topic,
    )
    log_action(
        actor=actor,
        action="training_session.created",
        target=session,
        data={"date": date, "starts_at": starts_at, "ends_at": ends_at, "hours": hours},
        channel=channel,
    )
    return session


def attendance_problem(session: TrainingSession, enrolment: Enrolment, signed_in_at) -> str | None:
    """Why this sign-in cannot be recorded, or None."""
    if enrolment.training_class_id != session.training_class_id:
        return _("学员不在本班。")
    if enrolment.status not in eligibility.COUNTING_STATUSES:
        return _("学员报名状态为“%(status)s”，不能签到。") % {
            "status": enrolment.get_status_display()
        }
    local = timezone.localtime(signed_in_at)
    if local.date() != session.date:
        return _("签到时间须在课次当日（%(day)s）。") % {"day": session.date}
    if signed_in_at > clock.now():
        return _("签到时间不能晚于现在。")
    return None


@transaction.atomic
def attendance_record(
    *,
    actor,
    session: TrainingSession,
    enrolments: Iterable[Enrolment],
    signed_in_at: datetime.datetime | None = None,
    channel: str = "web",
) -> list[Attendance]:
    """Sign trainees in to an offline session: all of them, or none if one cannot be."""
    training_class = session.training_class
    if not perms.can_record_attendance(actor, training_class):
        raise PermissionDenied(_("只有开班单位可以为已备案的线下培训记录签到。"))
    if signed_in_at is None:
        signed_in_at = timezone.make_aware(
            datetime.datetime.combine(session.date, session.starts_at)
        )
    enrolments = list(enrolments)
    already = set(
        Attendance.objects.filter(session=session, enrolment__in=enrolments).values_list(
            "enrolment_id", flat=True
        )
    )
    problems = []
    for enrolment in enrolments:
        problem = attendance_problem(session, enrolment, signed_in_at)
        if problem is None and enrolment.pk in already:
            problem = _("已签到。")
        if problem:
            problems.append(f"{enrolment.person.name}：{problem}")
    if problems:
        raise ValidationError(problems)
    rows = Attendance.objects.bulk_create(
        [
            Attendance(
                session=session,
                enrolment=e,
                signed_in_at=signed_in_at,
                hours=session.hours,
                recorded_by=actor,
                channel=channel,
            )
            for e in enrolments
        ]
    )
    ids = [e.pk for e in enrolments]
    Enrolment.objects.filter(pk__in=ids).update(
        attended_hours=models.F("attended_hours") + session.hours
    )
    log_actions_bulk(
        actor=actor,
        action="attendance.recorded",
        targets=list(Enrolment.objects.filter(pk__in=ids).select_related("training_class")),
        data_for=lambda e: {
            "session": session.pk,
            "date": session.date,
            "hours": session.hours,
            "signed_in_at": signed_in_at,
        },
        channel=channel,
    )
    evaluate_completion(ids)
    return rows


# Completion --------------------------------------------------------------------------------


def completion_facts(enrolment: Enrolment, params: eligibility.Params | None = None) -> dict:
    """Hours verified, hours required and the threshold parameter behind them."""
    params = params or eligibility.Params()
    training_class = enrolment.training_class
    threshold = params.get(eligibility.COMPLETION_THRESHOLD, training_class.start_date)
    required = (training_class.planned_hours * Decimal(str(threshold.value))).quantize(
        Decimal("0.01")
    )
    return {
        "attended_hours": enrolment.attended_hours,
        "online_hours": enrolment.online_hours,
        "verified_hours": enrolment.verified_hours,
        "planned_hours": training_class.planned_hours,
        "required_hours": required,
        "reached": enrolment.verified_hours >= required,
        "threshold": threshold.as_dict(),
    }


@transaction.atomic
def evaluate_completion(enrolment_ids: Iterable[int]) -> dict[str, int]:
    """Complete the given enrolments whose verified hours reached the threshold; reopen a
    completed one whose hours fell below it (online hours voided) if it has no outcome yet.
    Touches only the given enrolments (incremental)."""
    ids = list(dict.fromkeys(enrolment_ids))
    if not ids:
        return {"completed": 0, "reopened": 0}
    params = eligibility.Params()
    rows = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, status__in=("enrolled", "completed"))
        .select_related("training_class")
    )
    with_outcome = set(
        Outcome.objects.current()
        .filter(enrolment_id__in=[r.pk for r in rows])
        .values_list("enrolment_id", flat=True)
    )
    now = clock.now()
    completed, reopened, facts_of = [], [], {}
    for row in rows:
        facts = completion_facts(row, params)
        facts_of[row.pk] = facts
        if row.status == "enrolled" and facts["reached"]:
            completed.append(row.pk)
        elif row.status == "completed" and not facts["reached"] and row.pk not in with_outcome:
            reopened.append(row.pk)
    for name, pks, stamp in (("complete", completed, now), ("reopen", reopened, None)):
        if pks:
            ENROLMENT_WORKFLOW.apply_bulk(
                actor=None,
                queryset=Enrolment.objects.filter(pk__in=pks),
                name=name,
                data_for=lambda e: facts_of[e.pk],
                channel="task",
                extra_updates={"completed_at": stamp},
            )
    return {"completed": len(completed), "reopened": len(reopened)}


def refresh_online_hours(enrolment_ids: list[int]) -> dict[str, int]:
    """Store the provider's verified online hours for these enrolments; re-evaluate them."""
    figures = online.verified_online_hours(enrolment_ids)
    with transaction.atomic():
        rows = list(
            Enrolment.objects.select_for_update()
            .filter(pk__in=list(figures))
            .only("pk", "online_hours")
        )
        changed = []
        for row in rows:
            hours = figures[row.pk].quantize(Decimal("0.01"))
            if row.online_hours != hours:
                row.online_hours = hours
                changed.append(row)
        Enrolment.objects.bulk_update(changed, ["online_hours"], batch_size=1000)
        result = evaluate_completion([r.pk for r in changed])
    return {"changed": len(changed), **result}


# Outcomes ----------------------------------------------------------------------------------


def validate_outcome(
    enrolment: Enrolment,
    kind: str,
    certificate_number: str,
    issuing_body: str,
    issued_on: datetime.date | None,
) -> tuple[str, int | None]:
    """The normalised certificate number and level, or a ValidationError by field."""
    errors: dict[str, list[str]] = {}
    training_class = enrolment.training_class
    number = (certificate_number or "").strip().upper()
    level = None
    if enrolment.status != "completed":
        errors["__all__"] = [_("学员尚未结业（核验学时未达到要求），不能登记培训成果。")]
    if kind not in OutcomeKind.values:
        errors["kind"] = [_("未知的成果类型。")]
    elif kind == OutcomeKind.SKILL_CERTIFICATE:
        try:
            number = validate_certificate_number(number)
        except ValidationError as exc:
            errors["certificate_number"] = list(exc.messages)
        else:
            level = certificate_level(number)
            if level is None:
                errors["certificate_number"] = [
                    _("职业技能等级证书须为 22 位新版编号（Y 或 S 加 21 位数字）。")
                ]
            elif level != training_class.level:
                errors["certificate_number"] = [
                    _("证书编号中的等级（%(found)d 级）与培训班等级（%(level)d 级）不一致。")
                    % {"found": level, "level": training_class.level}
                ]
    elif not number:
        errors["certificate_number"] = [_("请填写证书编号。")]
    elif len(number) > 32:
        errors["certificate_number"] = [_("证书编号不能超过 32 个字符。")]
    if not (issuing_body or "").strip():
        errors["issuing_body"] = [_("请填写发证机构。")]
    if issued_on is None:
        errors["issued_on"] = [_("请填写发证日期。")]
    elif issued_on < training_class.start_date:
        errors["issued_on"] = [_("发证日期不能早于开班日期。")]
    elif issued_on > clock.today():
        errors["issued_on"] = [_("发证日期不能晚于今天。")]
    if (
        kind in OutcomeKind.values
        and Outcome.objects.current().filter(enrolment=enrolment, kind=kind).exists()
    ):
        errors.setdefault("kind", []).append(_("该学员已登记此类成果。"))
    if errors:
        raise ValidationError(errors)
    return number, level


@transaction.atomic
def outcome_record(
    *,
    actor,
    enrolment: Enrolment,
    kind: str,
    certificate_number: str,
    issuing_body: str,
    issued_on: datetime.date,
    certification_certificate_id: int | None = None,
    channel: str = "web",
) -> Outcome:
    if not perms.can_record_outcome(actor, enrolment.training_class):
        raise PermissionDenied(_("只有开班单位可以登记培训成果。"))
    enrolment = (
        Enrolment.objects.select_for_update().select_related("training_class").get(pk=enrolment.pk)
    )
    number, level = validate_outcome(enrolment, kind, certificate_number, issuing_body, issued_on)
    outcome = Outcome.objects.create(
        enrolment=enrolment,
        kind=kind,
        certificate_number=number,
        level=level,
        issuing_body=issuing_body.strip(),
        issued_on=issued_on,
        certification_certificate_id=certification_certificate_id,
        recorded_by=actor,
    )
    log_action(
        actor=actor,
        action="outcome.recorded",
        target=outcome,
        data={
            "enrolment": enrolment.pk,
            "kind": kind,
            "certificate_number": number,
            "level": level,
            "issuing_body": outcome.issuing_body,
            "issued_on": issued_on,
        },
        channel=channel,
    )
    return outcome


@transaction.atomic
def outcome_void(*, actor, outcome: Outcome, reason: str, channel: str = "web") -> Outcome:
    if not perms.can_void_outcome(actor, outcome):
        raise PermissionDenied(_("您无权作废该培训成果。"))
    if not (reason or "").strip():
        raise ValidationError(_("请填写理由。"))
    outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
    if outcome.voided_at is not None:
        raise ValidationError(_("该成果已作废。"))
    outcome.voided_at = clock.now()
    outcome.void_reason = reason.strip()[:255]
    outcome.save(update_fields=["voided_at", "void_reason"])
    log_action(
        actor=actor,
        action="outcome.voided",
        target=outcome,
        data={"reason": reason},
        channel=channel,
    )
    return outcome
