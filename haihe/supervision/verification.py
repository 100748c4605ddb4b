"""From statements to verified learning time: pure functions on plain data.

`verify_person` judges all the learning of one person at once, because two of the rules look
across enrolments and platforms: overlapping time counts once, and the daily cap is per person and
day. The database layer (services.py) feeds it the person's records and stores what it returns;
incremental processing re-runs it for the people a batch of statements touched, so the result is
the same whatever order and batching the statements arrived in.

The rules, in order, for each learning session (a start/end pair sharing a session id, or an end
carrying its duration):
1. the session has ended (an open session counts nothing yet, and is not flagged);
2. its account is real-name registered to the enrolment's person, and it was sent by the class's
   platform;
3. a successful face check at its start, and a successful one at least every `face_interval`
   minutes until it ends (random roll-calls); otherwise it counts zero;
4. only time within the class dates and before completion counts (the rest is flagged);
5. time already counted for another session of the person counts once (flagged beyond the
   overlap tolerance);
6. at most `daily_cap` hours per person and calendar day (the excess is flagged).
"""

import datetime
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from haihe.policy.rules import Decision, ParamValue, Reason, register_messages
from haihe.supervision import profile
from haihe.supervision.models import SECONDS_MAX

Interval = tuple[datetime.datetime, datetime.datetime]

register_messages(
    {
        "supervision.session_open": _("会话尚未结束（未收到结束语句），暂不计时。"),
        "supervision.session_interval": _("会话结束时间早于开始时间，不计时。"),
        "supervision.duration": _(
            "平台上报时长 {claimed}，起止间隔 {elapsed}，按较小值 {basis} 计。"
        ),
        "supervision.account_registered": _("学员账号 {account} 未在平台完成实名登记，不计时。"),
        "supervision.identity": _("学员账号实名登记的人员与报名人员不一致，不计时。"),
        "supervision.registration_unknown": _(
            "语句中的学习登记号 {registration} 不对应该学员的任何报名，不计时。"
        ),
        "supervision.platform": _("上报平台不是该班级备案的线上培训平台，不计时。"),
        "supervision.face_check_start": _(
            "开始学习前后 {value} 分钟内没有通过的人脸核验，整个会话不计时。"
        ),
        "supervision.face_check_start_ok": _("开始学习时人脸核验通过（{at}）。"),
        "supervision.face_check_interval": _(
            "随机抽查人脸核验的间隔超过 {value} 分钟（自 {since} 起 {gap} 分钟无通过的核验），"
            "整个会话不计时。"
        ),
        "supervision.face_check_interval_ok": _(
            "随机抽查人脸核验通过，最长间隔 {gap} 分钟，不超过 {value} 分钟。"
        ),
        "supervision.class_dates": _(
            "{outside} 的学习时间在班级起止日期（{start} 至 {end}）之外，不计时。"
        ),
        "supervision.after_completion": _(
            "{outside} 的学习时间在结业（{completed}）之后，不计时。"
        ),
        "supervision.overlap": _(
            "与会话 {others} 时间重叠 {overlap}，重叠部分只计一次（容差 {value} 秒）。"
        ),
        "supervision.daily_cap": _(
            "{day} 当日累计学习 {total}，超过每日上限 {value} 小时，超出的 {excess} 不计时。"
        ),
        "supervision.counted": _("计入 {counted}。"),
        "supervision.enrolment_total": _(
            "核验学时 {hours} 小时：{counted} 个会话计入，{partial} 个部分计入，"
            "{excluded} 个不计入，{open} 个尚未结束。"
        ),
    }
)


def hms(seconds: float) -> str:
    """Seconds as H:MM:SS (language-neutral)."""
    seconds = round(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def local_text(moment: datetime.datetime, tz) -> str:
    """A moment as local date and time, for explanations."""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def session_label(session: "SessionOutcome", tz) -> str:
    """A short, language-neutral name of a session: platform id and local times."""
    start = session.started_at.astimezone(tz)
    end = start + datetime.timedelta(seconds=session.basis_seconds)
    return f"#{session.platform_id} {start:%m-%d %H:%M}–{end.astimezone(tz):%H:%M}"


def hours_of(seconds: int) -> Decimal:
    """Verified hours are rounded down to the hundredth: never more than was verified."""
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


@dataclass(frozen=True)
class Params:
    daily_cap: ParamValue  # hours per person and day
    face_start_tolerance: ParamValue  # minutes around the session's start
    face_interval: ParamValue  # minutes between successful face checks, at most
    overlap_tolerance: ParamValue  # seconds of overlap tolerated before a flag

    @cached_property  # read for every session
    def daily_cap_seconds(self) -> int:
        return int(Decimal(str(self.daily_cap.value)) * 3600)

    @cached_property  # read for every session
    def face_start_seconds(self) -> int:
        return int(Decimal(str(self.face_start_tolerance.value)) * 60)

    @cached_property  # read for every session
    def face_interval_seconds(self) -> int:
        return int(Decimal(str(self.face_interval.value)) * 60)

    @cached_property  # read for every session
    def overlap_seconds(self) -> int:
        return int(Decimal(str(self.overlap_tolerance.value)))


ParamsOn = Callable[[datetime.date], Params]


@dataclass(frozen=True)
class EnrolmentFacts:
    id: int
    registration: str
    person_id: int
    platform_id: int | None
    class_start: datetime.date
    class_end: datetime.date
    completed_at: datetime.datetime | None = None


@dataclass
class SessionOutcome:
    key: str
    platform_id: int
    actor_key: str
    session_id: str
    registration: str | None
    enrolment_id: int | None
    started_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    claimed_seconds: int | None
    elapsed_seconds: int | None
    basis_seconds: int = 0
    counted_seconds: int = 0
    status: str = "pending"  # then: open | counted | partial | excluded
    reasons: list[Reason] = field(default_factory=list)
    face_checks: list[tuple[datetime.datetime, bool]] = field(default_factory=list)
    statement_pks: list[int] = field(default_factory=list)
    pieces: list[Interval] = field(default_factory=list)


@dataclass(frozen=True)
class FlagOutcome:
    kind: str
    subject_key: str
    reason: Reason
    platform_id: int | None
    enrolment_id: int | None = None
    session_key: str = ""
    day: datetime.date | None = None


@dataclass
class PersonOutcome:
    sessions: list[SessionOutcome]
    flags: list[FlagOutcome]
    seconds: dict[int, int]
    explanations: dict[int, Decision]


# interval arithmetic ---------------------------------------------------------------------------
def _length(pieces: Iterable[Interval]) -> int:
    return int(sum((b - a).total_seconds() for a, b in pieces))


def _clip(pieces: list[Interval], low, high) -> list[Interval]:
    out = []
    for a, b in pieces:
        a2 = a if low is None else max(a, low)
        b2 = b if high is None else min(b, high)
        if b2 > a2:
            out.append((a2, b2))
    return out


def _subtract(pieces: list[Interval], covered: list[Interval]) -> list[Interval]:
    result = list(pieces)
    for c0, c1 in covered:
        nxt = []
        for a, b in result:
            if c1 <= a or c0 >= b:
                nxt.append((a, b))
                continue
            if a < c0:
                nxt.append((a, c0))
            if c1 < b:
                nxt.append((c1, b))
        result = nxt
    return result


def _split_days(piece: Interval, tz) -> list[tuple[datetime.date, Interval]]:
    a, b = piece
    out = []
    while a < b:
        local = a.astimezone(tz)
        next_midnight = datetime.datetime.combine(
            local.date() + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        end = min(b, next_midnight)
        out.append((local.date(), (a, end)))
        a = end
    return out


def _midnight(day: datetime.date, tz) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


# the rules -------------------------------------------------------------------------------------
def _assemble(records: list[profile.Record]) -> dict[tuple, dict]:
    """Group session and face-check records by (platform, account, session id)."""
    groups: dict[tuple, dict] = defaultdict(lambda: {"start": [], "end": [], "face": []})
    for rec in records:
        if rec.role in (profile.START, profile.END, profile.FACE):
            session_id = rec.session_id
            if session_id is None:
                if rec.role != profile.END or rec.duration is None:
                    continue  # cannot be paired: the profile requires the session id
                session_id = f"statement:{rec.statement_id}"
            groups[(rec.platform_id, rec.actor_key, session_id)][rec.role].append(rec)
    return groups


def _build_session(key: tuple, group: dict) -> SessionOutcome | None:
    platform_id, actor_key, session_id = key
    starts = sorted(group["start"], key=lambda r: (r.timestamp, r.pk))
    ends = sorted(group["end"], key=lambda r: (r.timestamp, r.pk))
    if not starts and not ends:
        return None  # face checks without a session
    registration = next((r.registration for r in ends + starts if r.registration), None)
    start = starts[0].timestamp if starts else None
    end_rec = ends[-1] if ends else None
    end = end_rec.timestamp if end_rec else None
    claimed = end_rec.duration if end_rec else None
    if start is None and end is not None and claimed is not None:
        try:
            start = end - claimed
        except OverflowError:  # a duration longer than the calendar: no start
            start = None
    session = SessionOutcome(
        key=f"{platform_id}|{actor_key}|{session_id}",
        platform_id=platform_id,
        actor_key=actor_key,
        session_id=session_id,
        registration=registration,
        enrolment_id=None,
        started_at=start,
        ended_at=end,
        claimed_seconds=_column(claimed.total_seconds()) if claimed is not None else None,
        elapsed_seconds=_column((end - start).total_seconds()) if start and end else None,
        face_checks=sorted(
            ((r.timestamp, r.success is True) for r in group["face"]), key=lambda c: c[0]
        ),
        statement_pks=sorted(r.pk for r in starts + ends + group["face"]),
    )
    return session


def _column(seconds: float) -> int:
    """Seconds as the session's integer columns hold them (a platform may report a duration of
    centuries; the model's range is what PostgreSQL stores, and SQLite is held to it)."""
    return max(-SECONDS_MAX, min(SECONDS_MAX, int(seconds)))


def _face_rules(session: SessionOutcome, params: Params, tz) -> Reason | None:
    """The face-check rules; returns the refusal, or None (and appends the passes)."""
    start, end = session.started_at, session.ended_at
    tolerance = datetime.timedelta(seconds=params.face_start_seconds)
    successes = [at for at, ok in session.face_checks if ok and start - tolerance <= at <= end]
    first = next((at for at in successes if at <= start + tolerance), None)
    if first is None:
        return Reason("supervision.face_check_start", False, {}, params.face_start_tolerance)
    session.reasons.append(
        Reason("supervision.face_check_start_ok", True, {"at": local_text(first, tz)})
    )
    limit = params.face_interval_seconds
    marks = [max(first, start), *[at for at in successes if at > first], end]
    worst_gap, worst_since = 0.0, marks[0]
    for a, b in itertools.pairwise(marks):
        gap = (b - a).total_seconds()
        if gap > worst_gap:
            worst_gap, worst_since = gap, a
    minutes = f"{worst_gap / 60:.1f}"
    if worst_gap > limit:
        return Reason(
            "supervision.face_check_interval",
            False,
            {"since": local_text(worst_since, tz), "gap": minutes},
            params.face_interval,
        )
    session.reasons.append(
        Reason("supervision.face_check_interval_ok", True, {"gap": minutes}, params.face_interval)
    )
    return None


def verify_person(
    *,
    person_id: int,
    records: Iterable[profile.Record],
    enrolments: Iterable[EnrolmentFacts],
    accounts: dict[tuple[int, str], int],
    params_on: ParamsOn,
    tz,
    foreign_registrations: frozenset[str] = frozenset(),
) -> PersonOutcome:
    """Judge all the learning of one person.

    `records`: every non-voided record that names one of the person's enrolments or one of the
    person's accounts; `accounts` maps (platform id, actor key) to the person the account is
    real-name registered to (for every actor among the records); `foreign_registrations`: the
    registrations among the records that belong to other people's enrolments (those sessions are
    judged, and flagged, under the enrolment's person)."""
    records = list(records)
    by_registration = {e.registration: e for e in enrolments}
    flags: list[FlagOutcome] = []
    sessions: list[SessionOutcome] = []

    for key, group in sorted(_assemble(records).items(), key=lambda kv: kv[0]):
        session = _build_session(key, group)
        if session is None:
            continue
        if session.registration in foreign_registrations:
            continue
        enrolment = by_registration.get(session.registration)
        owner = accounts.get((session.platform_id, session.actor_key))
        if enrolment is None and owner != person_id:
            continue  # neither this person's enrolment nor this person's account
        session.enrolment_id = enrolment.id if enrolment else None
        sessions.append(session)
        if session.ended_at is None or session.started_at is None:
            session.status = "open"
            session.reasons.append(Reason("supervision.session_open", True))
            continue
        refusal, flag_kind = _admit(session, enrolment, owner, person_id)
        if refusal is not None:
            _exclude(session, refusal)
            if flag_kind:
                flags.append(_session_flag(flag_kind, session, refusal))
            continue
        day = session.started_at.astimezone(tz).date()
        params = params_on(day)
        refusal = _face_rules(session, params, tz)
        if refusal is not None:
            _exclude(session, refusal)
            flags.append(_session_flag("face_check", session, refusal))
            continue
        basis = session.elapsed_seconds
        if session.claimed_seconds is not None and session.claimed_seconds < basis:
            session.reasons.append(
                Reason(
                    "supervision.duration",
                    True,
                    {
                        "claimed": hms(session.claimed_seconds),
                        "elapsed": hms(basis),
                        "basis": hms(session.claimed_seconds),
                    },
                )
            )
            basis = session.claimed_seconds
        session.basis_seconds = basis
        pieces = [(session.started_at, session.started_at + datetime.timedelta(seconds=basis))]
        pieces = _window(session, enrolment, pieces, tz, flags)
        session.pieces = pieces

    _overlaps([s for s in sessions if s.basis_seconds], params_on, tz, flags)
    _daily_cap([s for s in sessions if s.pieces], params_on, tz, flags)

    seconds: dict[int, int] = {e.id: 0 for e in enrolments}
    for session in sessions:
        if session.status == "open":
            continue
        session.counted_seconds = _length(session.pieces)
        if session.basis_seconds and session.counted_seconds:
            session.reasons.append(
                Reason("supervision.counted", True, {"counted": hms(session.counted_seconds)})
            )
        if session.counted_seconds == 0:
            session.status = "excluded"
        elif session.counted_seconds < session.basis_seconds:
            session.status = "partial"
        else:
            session.status = "counted"
        if session.enrolment_id is not None:
            seconds[session.enrolment_id] += session.counted_seconds
    return PersonOutcome(sessions, flags, seconds, _explain(enrolments, sessions, seconds))


def _admit(session, enrolment, owner, person_id) -> tuple[Reason | None, str]:
    if session.ended_at < session.started_at:
        return Reason("supervision.session_interval", False), "invalid_session"
    if enrolment is None:
        return (
            Reason(
                "supervision.registration_unknown",
                False,
                {"registration": session.registration or "—"},
            ),
            "unknown_registration",
        )
    if owner is None:
        return (
            Reason("supervision.account_registered", False, {"account": session.actor_key}),
            "unregistered_account",
        )
    if owner != person_id:
        return Reason("supervision.identity", False), "identity_mismatch"
    if enrolment.platform_id != session.platform_id:
        return Reason("supervision.platform", False), "wrong_platform"
    return None, ""


def _exclude(session: SessionOutcome, refusal: Reason) -> None:
    session.reasons.append(refusal)
    session.status = "excluded"
    session.pieces = []


def _session_flag(kind: str, session: SessionOutcome, reason: Reason) -> FlagOutcome:
    return FlagOutcome(
        kind=kind,
        subject_key=f"session:{session.key}",
        reason=reason,
        platform_id=session.platform_id,
        enrolment_id=session.enrolment_id,
        session_key=session.key,
        day=None,
    )


def _window(session, enrolment: EnrolmentFacts, pieces, tz, flags) -> list[Interval]:
    low = _midnight(enrolment.class_start, tz)
    high = _midnight(enrolment.class_end + datetime.timedelta(days=1), tz)
    inside = _clip(pieces, low, high)
    outside = _length(pieces) - _length(inside)
    if outside > 0:
        reason = Reason(
            "supervision.class_dates",
            False,
            {
                "outside": hms(outside),
                "start": enrolment.class_start.isoformat(),
                "end": enrolment.class_end.isoformat(),
            },
        )
        session.reasons.append(reason)
        flags.append(_session_flag("outside_class_dates", session, reason))
    if enrolment.completed_at is not None:
        before = _clip(inside, None, enrolment.completed_at)
        after = _length(inside) - _length(before)
        if after > 0:
            reason = Reason(
                "supervision.after_completion",
                False,
                {"outside": hms(after), "completed": local_text(enrolment.completed_at, tz)},
            )
            session.reasons.append(reason)
            flags.append(_session_flag("after_completion", session, reason))
        inside = before
    return inside


def _overlaps(sessions: list[SessionOutcome], params_on, tz, flags) -> None:
    """Count once: an earlier-starting session keeps its time; a later one counts only what is
    not already counted. Flag: a person cannot learn in two places at once, so two admitted
    sessions (face checks passed) whose own times overlap beyond the tolerance are flagged even
    when one of them lies outside its class dates."""
    counted: list[Interval] = []
    seen: list[tuple[Interval, SessionOutcome]] = []
    for session in sorted(sessions, key=lambda s: (s.started_at, s.key)):
        own = (
            session.started_at,
            session.started_at + datetime.timedelta(seconds=session.basis_seconds),
        )
        overlapping = sorted(
            {o.key: o for (a, b), o in seen if a < own[1] and own[0] < b}.values(),
            key=lambda o: (o.started_at, o.key),
        )
        others = [o.key for o in overlapping]
        raw_overlap = session.basis_seconds - _length(_subtract([own], [iv for iv, _o in seen]))
        remaining = _subtract(session.pieces, counted)
        counted_overlap = _length(session.pieces) - _length(remaining)
        overlap = max(raw_overlap, counted_overlap)
        if overlap > 0:
            params = params_on(session.started_at.astimezone(tz).date())
            flagged = raw_overlap > params.overlap_seconds
            reason = Reason(
                "supervision.overlap",
                not flagged,
                {
                    "others": ", ".join(session_label(o, tz) for o in overlapping),
                    "overlap": hms(overlap),
                },
                params.overlap_tolerance,
            )
            session.reasons.append(reason)
            if flagged:
                cross = any(o.split("|", 1)[0] != str(session.platform_id) for o in others)
                flags.append(
                    _session_flag("overlap_cross_platform" if cross else "overlap", session, reason)
                )
        session.pieces = remaining
        counted.extend(remaining)
        seen.append((own, session))


def _daily_cap(sessions: list[SessionOutcome], params_on, tz, flags) -> None:
    chunks = []
    for session in sessions:
        for piece in session.pieces:
            for day, part in _split_days(piece, tz):
                chunks.append((part[0], session.key, day, part, session))
    chunks.sort(key=lambda c: (c[0], c[1]))
    used: dict[datetime.date, int] = defaultdict(int)
    total: dict[datetime.date, int] = defaultdict(int)
    kept: dict[str, list[Interval]] = defaultdict(list)
    cut: dict[tuple[str, datetime.date], int] = defaultdict(int)
    first_cut: dict[datetime.date, SessionOutcome] = {}
    for _start, key, day, (a, b), session in chunks:
        length = int((b - a).total_seconds())
        cap = params_on(day).daily_cap_seconds
        allowed = max(0, min(length, cap - used[day]))
        total[day] += length
        if allowed:
            kept[key].append((a, a + datetime.timedelta(seconds=allowed)))
            used[day] += allowed
        if allowed < length:
            cut[(key, day)] += length - allowed
            first_cut.setdefault(day, session)
    by_key = {s.key: s for s in sessions}
    for (key, day), excess in sorted(cut.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        params = params_on(day)
        by_key[key].reasons.append(
            Reason(
                "supervision.daily_cap",
                False,
                {"day": day.isoformat(), "total": hms(total[day]), "excess": hms(excess)},
                params.daily_cap,
            )
        )
    for day, session in sorted(first_cut.items()):
        params = params_on(day)
        excess = total[day] - used[day]
        flags.append(
            FlagOutcome(
                kind="daily_cap",
                subject_key=f"day:{day.isoformat()}",
                reason=Reason(
                    "supervision.daily_cap",
                    False,
                    {"day": day.isoformat(), "total": hms(total[day]), "excess": hms(excess)},
                    params.daily_cap,
                ),
                platform_id=session.platform_id,
                enrolment_id=session.enrolment_id,
                session_key=session.key,
                day=day,
            )
        )
    for session in sessions:
        session.pieces = kept.get(session.key, [])


def _explain(enrolments, sessions, seconds) -> dict[int, Decision]:
    explanations = {}
    for enrolment in enrolments:
        mine = [s for s in sessions if s.enrolment_id == enrolment.id]
        counts = defaultdict(int)
        for s in mine:
            counts[s.status] += 1
        reasons = [
            Reason(
                "supervision.enrolment_total",
                True,
                {
                    "hours": str(hours_of(seconds[enrolment.id])),
                    "seconds": seconds[enrolment.id],
                    "counted": counts["counted"],
                    "partial": counts["partial"],
                    "excluded": counts["excluded"],
                    "open": counts["open"],
                },
            )
        ]
        for s in sorted(mine, key=lambda s: (s.started_at or s.ended_at, s.key)):
            for reason in s.reasons:
                if not reason.ok:
                    reasons.append(
                        Reason(
                            reason.rule,
                            False,
                            {**reason.params, "session": s.key},
                            reason.parameter,
                        )
                    )
        explanations[enrolment.id] = Decision(tuple(reasons), hours_of(seconds[enrolment.id]))
    return explanations
