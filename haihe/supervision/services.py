"""Supervision writes: real-name links, verified hours, flags.

Statements arrive in batches (the `statements_stored` signal → processing.py, which records the
batch as pending work and processes it exactly once in effect). A batch is processed by (1)
linking the accounts its real-name registrations name, then (2) recomputing the people it
touches — every person whose enrolment or account a statement names, or whose account a voided
statement named — and telling the training module which enrolments' hours changed, in the same
transaction. Recomputing one person reads only that person's statements, so a claim never waits
on a full recomputation, the result does not depend on how the statements were batched, and
recomputing again gives the same figures.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

import orjson
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haihe.core import clock
from haihe.core.audit import log_action, log_actions_bulk
from haihe.core.identifiers import validate_ric
from haihe.policy.rules import ParamValue, Reason, param, register_messages
from haihe.registry.models import Organisation, Person
from haihe.supervision import profile
from haihe.supervision.models import (
    PERSON_FLAG_KINDS,
    Flag,
    FlagKind,
    FlagStatus,
    LearnerAccount,
    LearningSession,
    VerifiedHours,
)
from haihe.supervision.verification import (
    EnrolmentFacts,
    Params,
    PersonOutcome,
    hours_of,
    verify_person,
)
from haihe.supervision.workflows import FLAG_WORKFLOW

SESSION_VERBS = [
    verb
    for verb, role in profile.ROLE_OF_VERB.items()
    if role in (profile.START, profile.END, profile.FACE)
]
CHUNK = 400

register_messages(
    {
        "supervision.registration_invalid": _("实名登记无效：{error}"),
        "supervision.registration_unknown_person": _(
            "实名登记的身份证号码 {ric} 不在人员登记库中。"
        ),
        "supervision.registration_name": _(
            "实名登记姓名“{given}”与登记库中该身份证号码的姓名不一致。"
        ),
        "supervision.registration_conflict": _("学员账号 {account} 已实名登记为其他人员。"),
    }
)


def flag_close(*, actor, flag: Flag, action: str, reason: str, channel: str = "web") -> Flag:
    """Resolve or dismiss a flag with the reviewer's reason (audited by the workflow).
    PermissionDenied if the actor's role may not close it; ValidationError for an unknown action,
    a flag no longer open, or a blank reason."""
    if action not in ("resolve", "dismiss"):
        raise ValidationError(_("未知的操作。"))
    now = clock.now()
    return FLAG_WORKFLOW.apply(
        actor=actor,
        obj=flag,
        name=action,
        reason=reason.strip(),
        channel=channel,
        extra_updates={
            "closed_at": now,
            "closed_by": actor,
            "close_reason": reason.strip(),
            "updated_at": now,
        },
    )


# parameters ---------------------------------------------------------------------------------
PARAMETER_KEYS = {
    "daily_cap": "supervision.daily_cap_hours",
    "face_start_tolerance": "supervision.face_check_start_tolerance_minutes",
    "face_interval": "supervision.face_check_interval_minutes",
    "overlap_tolerance": "supervision.overlap_tolerance_seconds",
}


class ParamCache:
    """The dated parameters in force on each day. All values of the four parameters are read
    once per run and chosen per day as `param()` chooses them (latest effective date on or
    before the day, then the latest entered)."""

    def __init__(self, region: str | None = None):
        from django.conf import settings

        from haihe.policy.models import ParameterValue

        self._by_day: dict[datetime.date, Params] = {}
        self._values: dict[str, list] = defaultdict(list)
        rows = ParameterValue.objects.filter(
            parameter__key__in=list(PARAMETER_KEYS.values()),
            region_code=region or settings.HAIHE_REGION_CODE,
            voided_at__isnull=True,
        ).order_by("-effective_from", "-created_at")
        for key, value, since, source, confirmed in rows.values_list(
            "parameter__key", "value", "effective_from", "source", "confirmed"
        ):
            self._values[key].append(ParamValue(key, value, since, source, confirmed))

    def _on(self, key: str, day: datetime.date) -> ParamValue:
        for value in self._values.get(key, ()):
            if value.effective_from <= day:
                return value
        return param(key, on=day)  # raises ParameterMissing with the usual message

    def __call__(self, day: datetime.date) -> Params:
        if day not in self._by_day:
            self._by_day[day] = Params(
                **{field: self._on(key, day) for field, key in PARAMETER_KEYS.items()}
            )
        return self._by_day[day]


def stored_reason(reason: Reason) -> dict:
    """A reason as stored: rule, outcome, values and parameter (value, effective date, source).
    The message is rendered when shown (`Reason.from_dict(...).message`), in the reader's
    language, so it is not stored."""
    data = {"rule": reason.rule, "ok": reason.ok, "params": reason.params}
    if reason.parameter is not None:
        data.update(reason.parameter.as_dict())
    return data


# records --------------------------------------------------------------------------------------
def records_of(queryset) -> list[profile.Record]:
    """The statements of `queryset` as verification records. The payload is read as text and
    parsed with orjson (several times faster than decoding it through the JSON field)."""
    rows = queryset.annotate(payload_text=Cast("payload", output_field=TextField())).values_list(
        "pk",
        "statement_id",
        "platform_id",
        "actor_key",
        "registration",
        "verb_id",
        "timestamp",
        "payload_text",
    )
    return [
        profile.to_record(
            pk=pk,
            statement_id=sid,
            platform_id=platform_id,
            actor_key=actor_key,
            registration=registration,
            verb_id=verb_id,
            timestamp=timestamp,
            payload=orjson.loads(text) if isinstance(text, str | bytes) else (text or {}),
        )
        for pk, sid, platform_id, actor_key, registration, verb_id, timestamp, text in rows
    ]


# real-name registration ---------------------------------------------------------------------
def _registration_flag(record: profile.Record, kind: str, reason: Reason, person=None) -> dict:
    return {
        "kind": kind,
        "subject_key": f"statement:{record.statement_id}",
        "platform_id": record.platform_id,
        "person": person,
        "details": reason.as_dict(),
    }


def link_accounts(records: Iterable[profile.Record]) -> set[int]:
    """Link the accounts named by real-name registration records; returns the people affected.

    The RIC is validated and looked up in the registry, and the real name must match; the
    earliest valid registration of an account wins (so batching order does not matter)."""
    registrations = sorted((r for r in records if r.role == profile.REGISTER), key=lambda r: r.pk)
    if not registrations:
        return set()
    affected: set[int] = set()
    new_flags = []
    rics = {}
    for rec in registrations:
        try:
            rics[rec.pk] = validate_ric(rec.ric or "").number
        except ValidationError as exc:
            reason = Reason("supervision.registration_invalid", False, {"error": exc.messages[0]})
            new_flags.append(_registration_flag(rec, FlagKind.INVALID_REGISTRATION, reason))
    people = {p.ric: p for p in Person.objects.filter(ric__in=set(rics.values()))}
    existing = {
        (a.platform_id, a.actor_key): a
        for a in LearnerAccount.objects.filter(actor_key__in={r.actor_key for r in registrations})
    }
    for rec in registrations:
        if rec.pk not in rics:
            continue
        person = people.get(rics[rec.pk])
        if person is None:
            reason = Reason(
                "supervision.registration_unknown_person", False, {"ric": _mask(rics[rec.pk])}
            )
            new_flags.append(_registration_flag(rec, FlagKind.UNKNOWN_PERSON, reason))
            continue
        if (rec.real_name or "").strip() != person.name:
            reason = Reason(
                "supervision.registration_name", False, {"given": (rec.real_name or "")[:50]}
            )
            new_flags.append(_registration_flag(rec, FlagKind.NAME_MISMATCH, reason, person))
            continue
        key = (rec.platform_id, rec.actor_key)
        account = existing.get(key)
        created = False
        if account is None:
            # get_or_create: another worker may link the same account at the same moment
            account, created = LearnerAccount.objects.get_or_create(
                platform_id=rec.platform_id,
                actor_key=rec.actor_key,
                defaults={"person": person, "registered_at": rec.timestamp, "statement_pk": rec.pk},
            )
            existing[key] = account
        if created:
            affected.add(person.pk)
        elif account.person_id == person.pk:
            if account.statement_pk is None or rec.pk < account.statement_pk:
                account.statement_pk, account.registered_at = rec.pk, rec.timestamp
                account.save(update_fields=["statement_pk", "registered_at"])
        elif account.statement_pk is not None and rec.pk < account.statement_pk:
            # an earlier registration names another person: it wins, the later one is the conflict
            affected.update({account.person_id, person.pk})
            account.person, account.statement_pk = person, rec.pk
            account.registered_at = rec.timestamp
            account.save(update_fields=["person", "statement_pk", "registered_at"])
        else:
            reason = Reason("supervision.registration_conflict", False, {"account": rec.actor_key})
            new_flags.append(_registration_flag(rec, FlagKind.ACCOUNT_CONFLICT, reason, person))
    _raise_registration_flags(new_flags)
    return affected


def _mask(ric: str) -> str:
    from haihe.core.identifiers import mask_ric

    return mask_ric(ric)


def _raise_registration_flags(specs: list[dict]) -> None:
    if not specs:
        return
    known = set(
        Flag.objects.filter(subject_key__in=[s["subject_key"] for s in specs]).values_list(
            "kind", "subject_key"
        )
    )
    platforms = dict(
        Organisation.objects.filter(pk__in={s["platform_id"] for s in specs}).values_list(
            "pk", "district_id"
        )
    )
    created = Flag.objects.bulk_create(
        [
            Flag(
                kind=s["kind"],
                subject_key=s["subject_key"],
                platform_id=s["platform_id"],
                person=s["person"],
                district_id=s["person"].district_id if s["person"] else platforms[s["platform_id"]],
                details=s["details"],
            )
            for s in specs
            if (s["kind"], s["subject_key"]) not in known
        ]
    )
    if created and created[0].pk is not None:
        log_actions_bulk(actor=None, action="supervision_flag.raised", targets=created,
                         channel="system")  # fmt: skip


def unlink_voided_registrations(voided_pks: Iterable[int]) -> set[int]:
    """Voiding a real-name registration removes the link it made; returns the people affected."""
    accounts = list(LearnerAccount.objects.filter(statement_pk__in=list(voided_pks)))
    affected = {a.person_id for a in accounts}
    for account in accounts:
        log_action(
            actor=None,
            action="supervision.account_unlinked",
            target=account,
            data={"statement_pk": account.statement_pk, "person": account.person_id},
            channel="system",
        )
        account.delete()
    return affected


# recomputation --------------------------------------------------------------------------------
def _enrolment_model():
    from haihe.training.models import Enrolment

    return Enrolment


def people_touched(records: list[profile.Record]) -> set[int]:
    regs = {r.registration for r in records if r.registration}
    keys = {(r.platform_id, r.actor_key) for r in records}
    people = set(
        _enrolment_model().objects.filter(registration__in=regs).values_list("person_id", flat=True)
    )
    if keys:
        for platform_id, actor_key, person_id in LearnerAccount.objects.filter(
            actor_key__in={k for _p, k in keys}
        ).values_list("platform_id", "actor_key", "person_id"):
            if (platform_id, actor_key) in keys:
                people.add(person_id)
    return people


class RecordIndex:
    """Statements a caller has just stored and still holds as records (the demo's bulk path), so
    that recomputing their people need not read them back: `select` answers what the database
    query of `_recompute_chunk` would (the session, end and face-check records naming one of
    the registrations or actor keys, in stored order). The caller vouches that the records are
    every live such statement of the people it recomputes."""

    def __init__(self, records: Iterable[profile.Record]):
        self.by_registration: dict[str, list[profile.Record]] = defaultdict(list)
        self.by_actor: dict[str, list[profile.Record]] = defaultdict(list)
        for record in records:
            if record.role in (profile.START, profile.END, profile.FACE):
                if record.registration:
                    self.by_registration[record.registration].append(record)
                self.by_actor[record.actor_key].append(record)

    def select(self, registrations: Iterable[str], actor_keys: Iterable[str]):
        found = {}
        for registration in registrations:
            for record in self.by_registration.get(str(registration), ()):
                found[record.pk] = record
        for key in actor_keys:
            for record in self.by_actor.get(key, ()):
                found[record.pk] = record
        return [found[pk] for pk in sorted(found)]


def recompute_people(
    person_ids: Iterable[int],
    *,
    notify: bool = True,
    records: Iterable[profile.Record] | None = None,
    finish=None,
) -> list[int]:
    """Recompute sessions, verified hours and flags of these people; returns the enrolments whose
    verified hours changed, and tells the training module about them in the same transaction (a
    transaction per chunk of people, so a crash never leaves hours the training module missed).
    `records`: the people's statements as records, when the caller has them in hand
    (RecordIndex); otherwise they are read from the store. `finish`: called inside the last
    transaction (processing.py marks the batch done with it)."""
    from haihe.training.online import online_hours_changed

    person_ids = sorted(set(person_ids))
    source = RecordIndex(records) if records is not None else None
    changed: list[int] = []
    params_on = ParamCache()
    chunks = [person_ids[i : i + CHUNK] for i in range(0, len(person_ids), CHUNK)]
    if not chunks and finish is not None:
        chunks = [[]]
    for index, chunk in enumerate(chunks):
        with transaction.atomic():
            # one worker at a time per person (tasks may run in parallel on PostgreSQL)
            list(Person.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
                 .values_list("pk", flat=True))  # fmt: skip
            done = _recompute_chunk(chunk, params_on, source) if chunk else []
            if notify and done:
                online_hours_changed(done)
            if finish is not None and index == len(chunks) - 1:
                finish()
        changed += done
    return changed


def _recompute_chunk(
    person_ids: list[int], params_on: ParamCache, source: "RecordIndex | None" = None
) -> list[int]:
    from haihe.xapi.models import Statement

    Enrolment = _enrolment_model()
    tz = timezone.get_default_timezone()
    enrolments = list(
        Enrolment.objects.filter(
            person_id__in=person_ids, training_class__platform__isnull=False
        ).select_related("training_class")
    )
    facts_by_person: dict[int, list[EnrolmentFacts]] = defaultdict(list)
    district_of_enrolment = {}
    for e in enrolments:
        c = e.training_class
        facts_by_person[e.person_id].append(
            EnrolmentFacts(
                id=e.pk,
                registration=str(e.registration),
                person_id=e.person_id,
                platform_id=c.platform_id,
                class_start=c.start_date,
                class_end=c.end_date,
                completed_at=e.completed_at,
            )
        )
        district_of_enrolment[e.pk] = c.district_id
    own_accounts = list(
        LearnerAccount.objects.filter(person_id__in=person_ids).values_list(
            "platform_id", "actor_key", "person_id"
        )
    )
    regs = [f.registration for facts in facts_by_person.values() for f in facts]
    keys = {k for _p, k, _person in own_accounts}
    if source is not None:
        records = source.select(regs, keys)
    else:
        query = Statement.q_registration(*regs) if regs else Q(pk__in=[])
        if keys:
            query |= Statement.q_actor(*keys)
        records = records_of(
            Statement.objects.filter(query, voided=False, verb_id__in=SESSION_VERBS).order_by("pk")
        )
    accounts = {
        (p, k): person
        for p, k, person in LearnerAccount.objects.filter(
            actor_key__in={r.actor_key for r in records}
        ).values_list("platform_id", "actor_key", "person_id")
    }
    reg_owner = dict(
        Enrolment.objects.filter(
            registration__in={r.registration for r in records if r.registration}
        ).values_list("registration", "person_id")
    )
    reg_owner = {str(k): v for k, v in reg_owner.items()}
    by_person: dict[int, list[profile.Record]] = defaultdict(list)
    for rec in records:
        owner = reg_owner.get(rec.registration)
        if owner in facts_by_person or owner in person_ids:
            by_person[owner].append(rec)
        account_owner = accounts.get((rec.platform_id, rec.actor_key))
        if account_owner in person_ids and account_owner != owner:
            by_person[account_owner].append(rec)
    person_district = dict(
        Person.objects.filter(pk__in=person_ids).values_list("pk", "district_id")
    )
    outcomes = {}
    for person_id in person_ids:
        mine = by_person.get(person_id, [])
        foreign = frozenset(
            r.registration
            for r in mine
            if r.registration in reg_owner and reg_owner[r.registration] != person_id
        )
        outcomes[person_id] = verify_person(
            person_id=person_id,
            records=mine,
            enrolments=facts_by_person.get(person_id, []),
            accounts=accounts,
            params_on=params_on,
            tz=tz,
            foreign_registrations=foreign,
        )
    _store_sessions(outcomes)
    _sync_flags(outcomes, district_of_enrolment, person_district)
    return _store_hours(outcomes, facts_by_person)


SESSION_COLUMNS = (
    "person",
    "enrolment",
    "platform",
    "key",
    "actor_key",
    "session_id",
    "registration",
    "started_at",
    "ended_at",
    "claimed_seconds",
    "elapsed_seconds",
    "counted_seconds",
    "status",
    "reasons",
    "face_checks",
    "statement_pks",
    "computed_at",
)


def _store_sessions(outcomes: dict[int, PersonOutcome]) -> None:
    LearningSession.objects.filter(person_id__in=list(outcomes)).delete()
    now = clock.now()
    rows = [
        (
            person_id,
            s.enrolment_id,
            s.platform_id,
            s.key,
            s.actor_key,
            s.session_id[:255],
            s.registration,
            s.started_at,
            s.ended_at,
            s.claimed_seconds,
            s.elapsed_seconds,
            s.counted_seconds,
            s.status,
            [stored_reason(r) for r in s.reasons],
            [[at.isoformat(), ok] for at, ok in s.face_checks],
            s.statement_pks,
            now,
        )
        for person_id, outcome in outcomes.items()
        for s in outcome.sessions
    ]
    insert_rows(LearningSession, SESSION_COLUMNS, rows)


INSERT_CHUNK = 500


def insert_rows(model, names: tuple[str, ...], rows: list[tuple]) -> None:
    """Multi-row INSERTs of plain tuples (field names in `names`; foreign keys as ids), values
    adapted the way Django stores them. The learning record store's technique (xapi/store.py):
    building and preparing model instances cost more than verifying the sessions when a batch
    rebuilds thousands of them. No signals and no returned keys (bulk_create gives neither on
    every database either)."""
    if not rows:
        return
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    ops = connection.ops
    fields = [model._meta.get_field(name) for name in names]
    adapters, marks = [], []
    for field in fields:
        kind = field.get_internal_type()
        if kind == "JSONField":
            adapters.append(lambda v: None if v is None else _json_text(v))
            marks.append("%s::jsonb" if postgres else "%s")
        elif kind == "DateTimeField" and not postgres:
            adapters.append(ops.adapt_datetimefield_value)
            marks.append("%s")
        elif kind == "UUIDField":
            adapters.append(lambda v, f=field: f.get_db_prep_value(v, connection))
            marks.append("%s")
        else:
            adapters.append(None)
            marks.append("%s")
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    placeholder = "(" + ", ".join(marks) + ")"
    adapted = [(i, adapt) for i, adapt in enumerate(adapters) if adapt is not None]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            params = []
            for row in chunk:
                values = list(row)
                for i, adapt in adapted:
                    values[i] = adapt(values[i])
                params += values
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 (names from _meta)
                + ", ".join([placeholder] * len(chunk)),
                params,
            )


def _json_text(value) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _store_hours(outcomes, facts_by_person) -> list[int]:
    ids = [f.id for person_id in outcomes for f in facts_by_person.get(person_id, [])]
    current = {v.enrolment_id: v for v in VerifiedHours.objects.filter(enrolment_id__in=ids)}
    now = clock.now()
    changed, create, update = [], [], []
    for person_id, outcome in outcomes.items():
        for facts in facts_by_person.get(person_id, []):
            seconds = outcome.seconds.get(facts.id, 0)
            hours = hours_of(seconds)
            decision = outcome.explanations[facts.id]
            explanation = {
                "ok": decision.ok,
                "amount": str(decision.amount),
                "reasons": [stored_reason(r) for r in decision.reasons],
            }
            row = current.get(facts.id)
            if row is None:
                create.append(
                    VerifiedHours(
                        enrolment_id=facts.id,
                        person_id=person_id,
                        seconds=seconds,
                        hours=hours,
                        explanation=explanation,
                        computed_at=now,
                    )
                )
                if seconds:
                    changed.append(facts.id)
            else:
                if row.hours != hours:
                    changed.append(facts.id)
                row.seconds, row.hours, row.explanation, row.computed_at = (
                    seconds,
                    hours,
                    explanation,
                    now,
                )
                update.append(row)
    VerifiedHours.objects.bulk_create(create, batch_size=1000)
    VerifiedHours.objects.bulk_update(
        update, ["seconds", "hours", "explanation", "computed_at"], batch_size=1000
    )
    return changed


def _sync_flags(outcomes, district_of_enrolment, person_district) -> None:
    desired = {}
    for person_id, outcome in outcomes.items():
        for f in outcome.flags:
            subject = f"{person_id}/{f.subject_key}"
            district = district_of_enrolment.get(f.enrolment_id) or person_district.get(person_id)
            desired[(f.kind, subject)] = Flag(
                kind=f.kind,
                subject_key=subject,
                platform_id=f.platform_id,
                person_id=person_id,
                enrolment_id=f.enrolment_id,
                district_id=district,
                session_key=f.session_key,
                day=f.day,
                details=stored_reason(f.reason),
            )
    existing = {
        (f.kind, f.subject_key): f
        for f in Flag.objects.filter(person_id__in=list(outcomes), kind__in=PERSON_FLAG_KINDS)
    }
    now = clock.now()
    create = [flag for key, flag in desired.items() if key not in existing]
    update, reopened, withdrawn = [], [], []
    for key, flag in existing.items():
        want = desired.get(key)
        if want is None:
            if flag.status == FlagStatus.OPEN:
                withdrawn.append(flag.pk)
            continue
        changed = flag.details != want.details or flag.enrolment_id != want.enrolment_id
        if flag.status == FlagStatus.WITHDRAWN:
            reopened.append(flag.pk)
        if changed:
            flag.details, flag.enrolment_id = want.details, want.enrolment_id
            flag.platform_id, flag.district_id = want.platform_id, want.district_id
            flag.session_key, flag.day, flag.updated_at = want.session_key, want.day, now
            update.append(flag)
    for flag in create:
        flag.created_at = flag.updated_at = now
    Flag.objects.bulk_create(create, batch_size=1000)
    Flag.objects.bulk_update(
        update,
        ["details", "enrolment", "platform", "district", "session_key", "day", "updated_at"],
        batch_size=1000,
    )
    if create and create[0].pk is not None:
        log_actions_bulk(
            actor=None, action="supervision_flag.raised", targets=create, channel="system"
        )
    for name, pks in (("withdraw", withdrawn), ("reopen", reopened)):
        if pks:
            FLAG_WORKFLOW.apply_bulk(
                actor=None,
                queryset=Flag.objects.filter(pk__in=pks),
                name=name,
                channel="system",
                extra_updates={"updated_at": now},
            )


# entry points -------------------------------------------------------------------------------
def recompute_all(*, notify: bool = True) -> list[int]:
    """Rebuild everything from the stored statements (an operator's repair tool; tests use it to
    check that incremental processing gives the same figures)."""
    from haihe.xapi.models import Statement

    with transaction.atomic():
        LearnerAccount.objects.all().delete()
        link_accounts(
            records_of(
                Statement.objects.filter(verb_id=profile.VERB_REGISTERED, voided=False).order_by(
                    "pk"
                )
            )
        )
    Enrolment = _enrolment_model()
    people = set(
        Enrolment.objects.filter(training_class__platform__isnull=False).values_list(
            "person_id", flat=True
        )
    ) | set(LearnerAccount.objects.values_list("person_id", flat=True))
    people |= set(
        LearningSession.objects.values_list("person_id", flat=True)
    )  # stale rows of people no longer touched
    return recompute_people(people, notify=notify)


def hours_for(enrolment_ids: Iterable[int]):
    """The provider registered with training: verified hours per enrolment (zero if none)."""
    from decimal import Decimal

    ids = list(enrolment_ids)
    found = dict(VerifiedHours.objects.filter(enrolment_id__in=ids).values_list(
        "enrolment_id", "hours"
    ))  # fmt: skip
    return {i: found.get(i, Decimal(0)) for i in ids}
