"""The supervision part of the Tianjin 2020 scenario: the platforms' xAPI statement streams.

The 30 online training platforms are selected and one gets a credential (its key and secret are
printed at start). Then every trainee of an online or blended class gets the stream the profile
(docs/xapi-profile.md) asks for, from the platform of the class: real-name registration, learning
sessions that add up to the online hours the training step planned, with face checks at the
start and at random roll-calls, and an assessment at the end. Verified hours therefore come from
statements for every enrolment, at any --scale.

The streams carry realistic trouble so that the flag queue has work, in the same share of
enrolments at any scale (SHARES): failed or missing face checks, missed roll-calls, a second
device overlapping a session, cross-platform overlaps for people learning on two platforms at
once, over-long days, learning outside the class dates or after completion, unregistered
accounts and bad real-name data.

Speed (hundreds of thousands of statements at the default scale): people are taken in rounds of
ROUND; a round's statements go into the learning record store through its bulk insert
(`store_trusted`), and the round's people are verified at once from the records in hand
(`services.recompute_people(..., records=...)`), so nothing is read back and memory stays
bounded at any scale.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from haihe.registry.models import OrgKind
from haihe.supervision import profile, services
from haihe.supervision import statements as st

ROUND = 400  # people whose streams are generated, stored and verified together
# random roll-calls 33-43 minutes apart: with a failed one retried two minutes later, successful
# checks are never more than the required 45 minutes apart
ROLL_CALL_MINUTES = (33, 44)
SESSION_MINUTES = (90, 120, 150, 180)  # a sitting, as planned (shorter when the day is full)
SHARES = {
    "failed_face": 0.05,  # an extra session whose start face check fails
    "missed_roll_call": 0.03,  # an extra session whose roll-calls stop
    "second_device": 0.03,  # the same account, a second device overlapping a session
    "long_day": 0.05,  # one day beyond the daily cap
    "outside_dates": 0.02,  # a session the day after the class ended
    "unregistered": 0.01,  # a session from an account never real-name registered
    "bad_registration": 0.01,  # a registration whose name does not match the RIC
}


def _local(day: datetime.date, minutes: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min)) + (
        datetime.timedelta(minutes=minutes)
    )


KEPT_ROLES = frozenset({profile.START, profile.END, profile.FACE, profile.REGISTER})


def store_trusted(platform, statements: list[dict]) -> list[profile.Record]:
    """Store a platform's statements through the learning record store's import of statements
    Haihe produced itself (`haihe.xapi.bulk.import_trusted`: the bulk insert without the validation of
    untrusted input; the tests check these streams against that validation) and return the ones
    verification reads as records, with their stored primary keys. No `statements_stored`
    signal: the caller verifies the people at once."""
    from haihe.xapi.bulk import import_trusted
    from haihe.xapi.keys import agent_key

    records = []
    for pk, item in import_trusted(platform, statements):
        payload = item.payload
        verb_id = payload["verb"]["id"]
        if profile.ROLE_OF_VERB.get(verb_id) in KEPT_ROLES:
            records.append(
                profile.to_record(
                    pk=pk,
                    statement_id=item.statement_id,
                    platform_id=platform.pk,
                    actor_key=agent_key(payload["actor"]),
                    registration=(payload.get("context") or {}).get("registration"),
                    verb_id=verb_id,
                    timestamp=item.timestamp,
                    payload=payload,
                )
            )
    return records


class SupervisionDemo:
    def __init__(self, scenario):
        self.s = scenario
        self.rng = scenario.rng
        self.pending: dict[int, list[dict]] = defaultdict(list)
        self.platforms: dict[int, object] = {}
        self.count = 0
        self.counts: dict[str, int] = defaultdict(int)
        self.platforms_used: set[int] = set()
        self.progress_platforms: set[int] = set()

    # streams ----------------------------------------------------------------------------------
    def home(self, platform) -> str:
        return f"https://learn{platform.pk}.example.cn/"

    def emit(self, platform, statements: list[dict]) -> None:
        """Queue statements of a platform until the round is stored."""
        self.pending[platform.pk].extend(statements)
        self.platforms[platform.pk] = platform
        self.count += len(statements)

    def store_round(self) -> list[profile.Record]:
        """Store the round's statements, platform by platform; returns their records."""
        records = []
        for platform_id, statements in sorted(self.pending.items()):
            if statements:
                records += store_trusted(self.platforms[platform_id], statements)
                self.platforms_used.add(platform_id)
        self.pending.clear()
        return records

    def session(self, e, platform, start, minutes, *, account=None, checks="ok", claimed=None):
        start = start.astimezone(datetime.UTC)  # the same moments; UTC is what statements carry
        end = start + datetime.timedelta(minutes=minutes)
        marks = []
        if checks == "failed":
            marks = [(start, False)]
            if self.rng.random() < 0.5:
                marks.append((start + datetime.timedelta(minutes=1), False))
        else:
            marks = [(start + datetime.timedelta(seconds=self.rng.randrange(0, 90)), True)]
            t = marks[0][0]
            stop = end if checks == "ok" else start + datetime.timedelta(minutes=minutes // 3)
            while True:
                t += datetime.timedelta(minutes=self.rng.randrange(*ROLL_CALL_MINUTES))
                if t >= stop:
                    break
                ok = self.rng.random() > 0.04
                marks.append((t, ok))
                if not ok:  # retried after a failed roll-call
                    marks.append((t + datetime.timedelta(minutes=2), True))
        home = self.home(platform)
        self.emit(
            platform,
            st.session_statements(
                home_page=home,
                account=account or self.account(e),
                registration=e.registration,
                course_id=f"{home}courses/{e.training_class_id}",
                lesson_id=f"{home}lessons/{e.training_class_id}-{self.rng.randrange(1, 40)}",
                start=start,
                end=end,
                checks=marks,
                claimed_seconds=claimed,
                session_id=self.new_id(),
                new_id=self.new_id,
                progress=platform.pk in self.progress_platforms,
            ),
        )
        self.counts["sessions"] += 1

    def new_id(self) -> str:
        """Statement and session ids from the scenario's generator (deterministic per seed): what
        str(uuid.UUID(int=bits, version=4)) gives, without building the object."""
        bits = self.rng.getrandbits(128) & ~(0xC000 << 48) & ~(0xF000 << 64)
        text = "%032x" % (bits | 0x8000 << 48 | 4 << 76)
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def account(self, e) -> str:
        return f"tj{e.person_id:07d}"

    def register(self, e, platform, person, at) -> None:
        self.emit(
            platform,
            [
                st.real_name_registration(
                    new_id=self.new_id,
                    home_page=self.home(platform),
                    account=self.account(e),
                    ric=person.ric,
                    real_name=person.name,
                    at=at,
                )
            ],
        )

    def plan(self, e, klass) -> dict[datetime.date, list[tuple[int, int]]]:
        """Sessions (start minute of day, length) per day that add up to the online hours."""
        minutes_left = int(Decimal(e.online_hours) * 60)
        last = klass.end_date
        days = [klass.start_date + datetime.timedelta(days=i)
                for i in range((last - klass.start_date).days + 1)]  # fmt: skip
        schedule: dict[datetime.date, list[tuple[int, int]]] = defaultdict(list)
        used: dict[datetime.date, int] = defaultdict(int)
        guard = 0
        while minutes_left > 0 and guard < 400:
            guard += 1
            day = self.rng.choice(days)
            room = (6 if day == last else 7) * 60 - used[day]
            if room < 30:
                if all((6 if d == last else 7) * 60 - used[d] < 30 for d in days):
                    break
                continue
            length = min(minutes_left, room, self.rng.choice(SESSION_MINUTES))
            schedule[day].append((length, 0))
            used[day] += length
            minutes_left -= length
        placed = {}
        for day, items in schedule.items():
            cursor = self.rng.choice((8 * 60, 8 * 60 + 15, 8 * 60 + 30))
            out = []
            for length, _ in items:
                out.append((cursor, length))
                cursor += length + self.rng.randrange(10, 30)
            placed[day] = out
        return placed

    def enrolment_stream(self, e, klass, platform, person) -> dict:
        registered = min(
            e.enrolled_at,
            _local(klass.start_date, self.rng.randrange(8 * 60, 20 * 60))
            - datetime.timedelta(days=self.rng.randrange(1, 4)),
        )
        self.register(e, platform, person, registered)
        plan = self.plan(e, klass)
        for day, items in sorted(plan.items()):
            for start_minute, length in items:
                self.session(e, platform, _local(day, start_minute), length)
        days = sorted(plan) or [klass.start_date]
        roll = self.rng.random
        if roll() < SHARES["failed_face"]:
            self.session(e, platform, _local(self.rng.choice(days), 6 * 60), 60, checks="failed")
            self.counts["trouble_failed_face"] += 1
        if roll() < SHARES["missed_roll_call"]:
            self.session(e, platform, _local(self.rng.choice(days), 5 * 60), 120, checks="missed")
            self.counts["trouble_missed_roll_call"] += 1
        if roll() < SHARES["second_device"] and plan:
            day = self.rng.choice(days)
            start_minute, length = plan[day][0]
            self.session(e, platform, _local(day, start_minute + 10), max(20, length - 20))
            self.counts["trouble_second_device"] += 1
        if roll() < SHARES["long_day"] and plan:
            day = self.rng.choice(days)
            planned = sum(length for _s, length in plan[day])
            start, length = plan[day][-1]
            extra = 8 * 60 - planned + self.rng.randrange(30, 150)
            self.session(e, platform, _local(day, start + length + 20), min(extra, 6 * 60))
            self.counts["trouble_long_day"] += 1
        if roll() < SHARES["outside_dates"]:
            after = klass.end_date + datetime.timedelta(days=1)
            self.session(e, platform, _local(after, 9 * 60), 90)
            self.counts["trouble_outside_dates"] += 1
        if roll() < SHARES["unregistered"]:
            self.session(e, platform, _local(days[0], 4 * 60), 60, account=f"guest{e.pk}")
            self.counts["trouble_unregistered"] += 1
        if roll() < SHARES["bad_registration"]:
            self.emit(
                platform,
                [
                    st.real_name_registration(
                        new_id=self.new_id,
                        home_page=self.home(platform),
                        account=f"alias{e.pk}",
                        ric=person.ric,
                        real_name=person.name[:1] + "某",
                        at=registered,
                    )
                ],
            )
            self.counts["trouble_bad_registration"] += 1
        self.emit_assessment(e, klass, platform, days)
        return plan

    def emit_assessment(self, e, klass, platform, days) -> None:
        if e.status == "completed" or self.rng.random() < 0.3:
            score = self.rng.choice((55, 62, 68, 75, 81, 88, 93))
            at = _local(min(klass.end_date, days[-1]), 15 * 60)
            self.emit(
                platform,
                [
                    st.assessment(
                        new_id=self.new_id,
                        home_page=self.home(platform),
                        account=self.account(e),
                        registration=e.registration,
                        course_id=f"{self.home(platform)}courses/{e.training_class_id}",
                        at=at,
                        score=score,
                    )
                ],
            )

    def cross_platform(self, pairs, plans) -> None:
        """People enrolled on two platforms: some learn on the second while attending the first
        (a session outside its class dates, and overlapping; both are flagged)."""
        for (e1, _k1, _p1), (e2, _k2, p2) in pairs:
            plan = plans.get(e1.pk)
            if not plan or self.rng.random() > 0.35:
                continue
            day = self.rng.choice(sorted(plan))
            start, length = plan[day][0]
            self.session(e2, p2, _local(day, start + self.rng.randrange(5, 30)), length)
            self.counts["trouble_cross_platform"] += 1

    # the step ---------------------------------------------------------------------------------
    def build(self) -> dict[str, int]:
        import time

        from haihe.training.models import Enrolment
        from haihe.xapi import services as xapi_services

        began = time.monotonic()

        platforms = sorted(
            (o for o in self.s.orgs if OrgKind.ONLINE_TRAINING_PLATFORM in o._kinds),
            key=lambda o: o.pk,
        )
        issued = xapi_services.demo_platforms_setup(platforms=platforms, year=2020)
        if issued is not None:
            credential, key, secret = issued
            self.s.result.notes.append(
                f"xAPI credential of {credential.organisation.name} (platform-admin's platform): "
                f"key {key}  secret {secret}  — HTTP Basic at /xapi/ (shown once)"
            )
        # about half of the platforms also send the optional progress statement
        self.progress_platforms = {p.pk for p in platforms if self.rng.random() < 0.5}
        by_pk = {o.pk: o for o in platforms}
        enrolments = list(
            Enrolment.objects.filter(
                training_class__platform__isnull=False,
                training_class__status="approved",
                status__in=("enrolled", "completed"),
            )
            .select_related("training_class", "person")
            .order_by("pk")
        )
        by_person = defaultdict(list)
        for e in enrolments:
            by_person[e.person_id].append(e)
        people = sorted(by_person)
        changed = self.rounds(people, by_person, by_pk)
        # the people of online classes who are not trainees (refused, withdrawn): no statements,
        # zero hours, as a recomputation from the store would leave them
        others = set(
            Enrolment.objects.filter(training_class__platform__isnull=False).values_list(
                "person_id", flat=True
            )
        ).difference(people)
        services.recompute_people(others, records=[])
        self.date_flags()
        self.s.result.notes.append(
            f"Supervision: {self.count:,} xAPI statements from {len(self.platforms_used)} "
            f"platforms for all {len(by_person):,} online/blended trainees "
            f"({len(enrolments):,} enrolments); {len(changed):,} enrolments' online hours "
            f"re-verified ({time.monotonic() - began:.1f} s); trouble injected: "
            + ", ".join(
                f"{k[8:]} {v}" for k, v in sorted(self.counts.items()) if k.startswith("trouble_")
            )
        )
        from haihe.supervision.models import Flag

        return {
            "xapi_statements": self.count,
            "learning_sessions": self.counts["sessions"],
            "supervision_flags": Flag.objects.count(),
        }

    def rounds(self, people, by_person, by_pk) -> list[int]:
        """Streams, storage and verification, ROUND people at a time; returns the enrolments
        whose online hours changed."""
        changed: list[int] = []
        for start in range(0, len(people), ROUND):
            group = people[start : start + ROUND]
            pairs, plans = [], {}
            for person_id in group:
                mine = by_person[person_id]
                for e in mine:
                    klass = e.training_class
                    plans[e.pk] = self.enrolment_stream(
                        e, klass, by_pk[klass.platform_id], e.person
                    )
                for i, a in enumerate(mine):
                    for b in mine[i + 1 :]:
                        if a.training_class.platform_id != b.training_class.platform_id:
                            pairs.append(((a, a.training_class, by_pk[a.training_class.platform_id]),
                                          (b, b.training_class, by_pk[b.training_class.platform_id])))  # fmt: skip
            self.cross_platform(pairs, plans)
            records = self.store_round()
            services.link_accounts([r for r in records if r.role == profile.REGISTER])
            changed += services.recompute_people(group, records=records)
        return changed

    def date_flags(self) -> None:
        """The demo's flags were raised when the statements arrived in 2020 (the incremental
        processing runs minutes after a batch), not today."""
        from haihe.supervision.models import Flag, LearningSession
        from haihe.xapi.models import Statement

        flags = list(Flag.objects.all())
        keys = {f.session_key for f in flags if f.session_key}
        ended = {}
        listed = sorted(keys)
        for start in range(0, len(listed), 500):
            ended.update(
                LearningSession.objects.filter(key__in=listed[start : start + 500]).values_list(
                    "key", "ended_at"
                )
            )
        sent = {
            f"statement:{sid}": at
            for sid, at in Statement.objects.filter(
                statement_id__in=[
                    f.subject_key.split(":", 1)[1]
                    for f in flags
                    if f.subject_key.startswith("statement:")
                ]
            ).values_list("statement_id", "timestamp")
        }
        for flag in flags:
            moment = ended.get(flag.session_key) or sent.get(flag.subject_key)
            if moment is None and flag.day is not None:
                moment = _local(flag.day, 23 * 60 + 50)
            if moment is not None:
                flag.created_at = flag.updated_at = moment + datetime.timedelta(minutes=7)
        Flag.objects.bulk_update(flags, ["created_at", "updated_at"], batch_size=2000)


def build(scenario) -> dict[str, int]:
    return SupervisionDemo(scenario).build()
