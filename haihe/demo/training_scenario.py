"""The training part of the Tianjin 2020 scenario: classes, enrolments, attendance, outcomes.

Sizes follow the seed: the subsidies step must reach round(370,000 × scale) outcomes with an
approved or paid subsidy as of 2020-09-30. Claims are submitted and reviewed in the weeks after a
class's last certificate, so this step makes about 120 % of that number of *eligible* outcomes
issued by READY_BY (45 days before the cut-off; OUTCOMES_BEFORE_SHARE), and 35 % more after it,
some still before the cut-off (OUTCOMES_AFTER_SHARE). Every enrolment is judged by the real rules (eligibility.check, with the
dated parameters), in class start order; about 4 % are refusals kept with their reasons, and a
few age refusals are overridden by a municipal reviewer.

Compact at scale: offline sessions are whole teaching days (up to the daily maximum); attendance
rows are written per (trainee, session) for every offline/blended class while the scale is at most
DETAILED_ATTENDANCE_SCALE, and above it for a deterministic sample of classes (share
DETAILED_ATTENDANCE_SCALE / scale, always including the demo institution's classes); the other
enrolments then carry only their attended-hours total. Online hours of online and blended classes
are stored on the enrolment as the figure the supervision platform verified (the supervision
step generates the statements behind them).

Classes waiting for review (submitted), drafts and returned classes start after today's date, so
that the district reviewers' queues hold classes they can still act on.
"""

import datetime
import math
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from haihe.accounts.roles import Role
from haihe.core import clock
from haihe.core.models import AuditEvent
from haihe.registry.models import Occupation, OrgKind
from haihe.training import eligibility
from haihe.training.models import (
    Attendance,
    Enrolment,
    Outcome,
    TrainingClass,
    TrainingSession,
)
from haihe.training.workflows import CLASS_WORKFLOW, ENROLMENT_WORKFLOW

SUBSIDISED_AT_SCALE_1 = 370_000
CUTOFF = datetime.date(2020, 9, 30)
# Claims are submitted and reviewed in the weeks after a class's last certificate, so the eligible
# outcomes that can be subsidised by the cut-off are those issued well before it (READY_BY).
READY_BY = CUTOFF - datetime.timedelta(days=45)
OUTCOMES_BEFORE_SHARE = 1.2
OUTCOMES_AFTER_SHARE = 0.35
DETAILED_ATTENDANCE_SCALE = 0.1
REFUSAL_KEEP_PROBABILITY = 0.1
BATCH = 5000
# Classes start through the year; few in February and March 2020 (the epidemic), when online
# training took over.
MONTH_WEIGHTS = [6, 2, 4, 9, 10, 11, 11, 10, 10, 10, 9, 6]
ONLINE_SHARE_BY_MONTH = [0.15, 0.8, 0.7, 0.4, 0.3, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25]
LEVEL_WEIGHTS = {5: 34, 4: 34, 3: 21, 2: 8, 1: 3}
OUTCOME_KINDS = [("skill_certificate", 60), ("special_ability", 15), ("completion", 25)]
TEACHERS = "王建国、李秀英、张志强、刘海燕、陈立新、杨春华、赵国庆、黄丽娟"


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


ATTENDANCE_COLUMNS = (
    "session_id",
    "enrolment_id",
    "signed_in_at",
    "hours",
    "recorded_by_id",
    "recorded_at",
    "channel",
)


def _insert_rows(model, columns, rows) -> None:
    """Plain INSERTs of already adapted values (attendance: millions of rows at --scale 1)."""
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608  (names from _meta)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _insert(model, objects) -> None:
    """Plain INSERTs for rows nobody needs the keys of (outcomes): faster than bulk_create,
    with the same value conversion."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608  (names from _meta)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), BATCH):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
                    for obj in objects[start : start + BATCH]
                ],
            )


class TrainingDemo:
    def __init__(self, scenario):
        self.s = scenario
        self.rng = scenario.rng
        self.params = eligibility.Params()
        self.threshold = Decimal(
            str(self.params.get(eligibility.COMPLETION_THRESHOLD, datetime.date(2020, 1, 1)).value)
        )
        self.max_day = Decimal(
            str(self.params.get(eligibility.MAX_HOURS_PER_DAY, datetime.date(2020, 1, 1)).value)
        )
        self.occupations = list(Occupation.objects.filter(active=True))
        orgs = scenario.orgs
        self.institutions = [o for o in orgs if OrgKind.TRAINING_INSTITUTION in o._kinds]
        self.schools = [o for o in orgs if OrgKind.TECHNICAL_SCHOOL in o._kinds]
        self.enterprises = [
            o for o in orgs if OrgKind.ENTERPRISE in o._kinds and o.size_class in ("large",)
        ]
        self.platforms = [o for o in orgs if OrgKind.ONLINE_TRAINING_PLATFORM in o._kinds]
        self.issuers = [o.name for o in orgs if OrgKind.EVALUATION_BODY in o._kinds] + [
            "天津市职业技能鉴定指导中心"
        ]
        self.home = scenario.users["institution-admin"].organisation
        self.reviewers = {
            u.district_id: u for u in scenario.users.values() if u.role == Role.DISTRICT_REVIEWER
        }
        self.municipal = scenario.users.get("municipal1")
        self.people = scenario.people_list
        self.facts = [eligibility.PersonFacts.of(p) for p in self.people]
        self.history: dict[int, list[eligibility.TrainingFacts]] = defaultdict(list)
        self.used_occupations: dict[int, set[int]] = defaultdict(set)
        self.certificate_serial = 0
        self.detailed_share = min(1.0, DETAILED_ATTENDANCE_SCALE / scenario.scale)
        self.counts = defaultdict(int)
        self.pending: dict[str, list] = defaultdict(list)
        self.batch: list[tuple] = []
        self._attendance_done = 0  # pending attendance rows already pointing at keys

    # classes -----------------------------------------------------------------------------
    def _filer(self):
        roll = self.rng.random()
        if roll < 0.03:
            return self.home
        if roll < 0.88:
            return self.rng.choice(self.institutions)
        if roll < 0.95 or not self.enterprises:
            return self.rng.choice(self.schools)
        return self.rng.choice(self.enterprises)

    def _class(self, start: datetime.date, *, status="approved", organisation=None):
        organisation = organisation or self._filer()
        occupation = self.rng.choice(self.occupations)
        levels = [lv for lv in LEVEL_WEIGHTS if not occupation.levels or lv in occupation.levels]
        level = self.rng.choices(levels, weights=[LEVEL_WEIGHTS[lv] for lv in levels])[0]
        month = start.month - 1 if start.year == 2020 else 6
        roll = self.rng.random()
        online_share = ONLINE_SHARE_BY_MONTH[month]
        mode = (
            "online"
            if roll < online_share * 0.7
            else "blended"
            if roll < online_share
            else "offline"
        )
        theory = Decimal(self.rng.choice((16, 24, 32, 40)))
        practice = Decimal(self.rng.choice((16, 24, 32, 48, 56))) if mode != "online" else 0
        if mode == "online":
            theory += Decimal(self.rng.choice((8, 16, 24)))
        offline_hours = {"offline": theory + practice, "blended": practice, "online": 0}[mode]
        teaching_days = max(1, math.ceil(offline_hours / self.max_day)) if offline_hours else 0
        days = max(teaching_days, self.rng.randrange(5, 15)) + self.rng.randrange(0, 3)
        district = (
            organisation.district
            if self.rng.random() < 0.85 or organisation is self.home
            else self.s.district()
        )
        reviewed = start - datetime.timedelta(days=self.rng.randrange(2, 12))
        submitted = reviewed - datetime.timedelta(days=self.rng.randrange(1, 6))
        c = TrainingClass(
            organisation=organisation,
            name=f"{occupation.name_zh}（{level}级）{start:%Y%m}期",
            occupation=occupation,
            level=level,
            mode=mode,
            platform=self.rng.choice(self.platforms) if mode != "offline" else None,
            planned_theory_hours=theory,
            planned_practice_hours=practice,
            start_date=start,
            end_date=start + datetime.timedelta(days=days - 1),
            district=district,
            venue=f"{district.name_zh}{self.rng.choice(('培训楼', '实训基地', '教学楼'))}"
            f"{self.rng.randrange(1, 9)}0{self.rng.randrange(1, 9)}室"
            if mode != "online"
            else "",
            teachers="、".join(self.rng.sample(TEACHERS.split("、"), 2)),
            capacity=self.rng.choice((30, 40, 45, 50, 60)),
            created_at=_at(submitted - datetime.timedelta(days=1), 10),
        )
        CLASS_WORKFLOW.restore([c], status)
        if status in ("approved", "submitted", "returned", "cancelled"):
            c.submitted_at = _at(submitted, self.rng.randrange(9, 17), self.rng.randrange(60))
        if status in ("approved", "returned"):
            c.reviewed_at = _at(reviewed, self.rng.randrange(9, 17), self.rng.randrange(60))
            c.reviewed_by = self.reviewers.get(district.pk)
        if status == "returned":
            c.return_reason = self.rng.choice(
                (
                    "计划学时不足，请按职业标准补充实操课时。",
                    "授课教师资质材料不全。",
                    "培训场地证明缺失。",
                )
            )
        c._teaching_days = teaching_days
        c._offline_hours = offline_hours
        return c

    def _start_in(self, first: datetime.date, last: datetime.date) -> datetime.date:
        months = [m for m in range(first.month, last.month + 1)]
        month = self.rng.choices(months, weights=[MONTH_WEIGHTS[m - 1] for m in months])[0]
        low = max(first, datetime.date(2020, month, 1))
        high = min(last, datetime.date(2020, month, 28))
        return low + datetime.timedelta(days=self.rng.randrange((high - low).days + 1))

    # enrolments --------------------------------------------------------------------------
    def _pick(self, c, facts, taken: set[int]):
        """A person for class c: (index, decision) — eligible, or a refusal worth keeping."""
        for _attempt in range(12):
            index = self.rng.randrange(len(self.people))
            if index in taken or c.occupation_id in self.used_occupations[index]:
                continue
            decision = eligibility.check(
                self.facts[index], facts, self.history[index], params=self.params
            )
            if decision.ok or self.rng.random() < REFUSAL_KEEP_PROBABILITY:
                return index, decision
        return None, None

    def _fill(self, c) -> list[Enrolment]:
        facts = eligibility.TrainingFacts(
            c.occupation_id, c.level, c.start_date, c.end_date, c.pk, c.name
        )
        wanted = round(c.capacity * self.rng.uniform(0.6, 1.0))
        taken: set[int] = set()
        rows = []
        if c is self._first_class and self.people:
            candidates = [0]
        else:
            candidates = []
        for slot in range(wanted):
            if candidates:
                index = candidates.pop()
                decision = eligibility.check(
                    self.facts[index], facts, self.history[index], params=self.params
                )
            else:
                index, decision = self._pick(c, facts, taken)
            if index is None:
                continue
            taken.add(index)
            enrolled_at = c.reviewed_at + datetime.timedelta(
                hours=self.rng.randrange(2, 24 * max(1, (c.start_date - c.reviewed_at.date()).days))
            )
            e = Enrolment(
                training_class=c,
                person=self.people[index],
                eligible=decision.ok,
                eligibility=eligibility.stored(decision),
                enrolled_at=enrolled_at,
            )
            ENROLMENT_WORKFLOW.start(e, "enrolled" if decision.ok else "refused")
            if decision.ok:
                self.history[index].append(facts)
                self.used_occupations[index].add(c.occupation_id)
            elif (
                self.municipal is not None
                and [r.rule for r in decision.refusals] == ["training.retirement_age"]
                and self.rng.random() < 0.3
            ):
                ENROLMENT_WORKFLOW.restore([e], "enrolled")
                e.override_reason = "经核实属于延迟退休人员，同意参加补贴性培训。"
                e.overridden_by = self.municipal
                e.overridden_at = enrolled_at + datetime.timedelta(days=1)
                self.counts["enrolments_overridden"] += 1
            e._index = index
            rows.append(e)
            del slot
        return rows

    # attendance, completion, outcomes -------------------------------------------------------
    def _sessions(self, c) -> list[TrainingSession]:
        remaining = c._offline_hours
        sessions = []
        for day_number in range(c._teaching_days):
            hours = min(self.max_day, remaining)
            remaining -= hours
            if hours <= 0:
                break
            lunch = 1 if hours > 4 else 0
            start = datetime.datetime.combine(datetime.date(2000, 1, 1), datetime.time(8, 30))
            end = start + datetime.timedelta(hours=float(hours) + lunch)
            sessions.append(
                TrainingSession(
                    training_class=c,
                    date=c.start_date + datetime.timedelta(days=day_number),
                    starts_at=start.time(),
                    ends_at=end.time(),
                    hours=hours,
                    kind="practice" if day_number % 2 else "theory",
                )
            )
        return sessions

    def _attend(self, c, e, sessions, detailed: bool) -> None:
        """Offline sign-ins and verified online hours for one counting enrolment."""
        finisher = self.rng.random() < 0.92
        online_planned = c.planned_hours - c._offline_hours
        required = (c.planned_hours * self.threshold).quantize(Decimal("0.01"))
        attended = list(sessions)
        if finisher and len(attended) > 1 and self.rng.random() < 0.3:
            skipped = attended.pop(self.rng.randrange(len(attended)))
            if sum(s.hours for s in attended) + online_planned < required:
                attended.append(skipped)
        if not finisher:
            attended = attended[: int(len(attended) * self.rng.uniform(0.2, 0.6))]
        e.attended_hours = sum((s.hours for s in attended), Decimal(0))
        e.online_hours = online_planned if finisher else (online_planned * Decimal("0.4"))
        e.online_hours = e.online_hours.quantize(Decimal("0.01"))
        if detailed:
            for s in attended:
                # [session, enrolment (its key once saved), signed in, hours, recorder, recorded,
                # channel]: plain rows, not model instances (millions at --scale 1).
                self.pending["attendance"].append(
                    [
                        s,
                        e,
                        s._signins[self.rng.randrange(30)],
                        s._hours,
                        None,
                        s._evening,
                        "import",
                    ]
                )
        if e.verified_hours >= required:
            ENROLMENT_WORKFLOW.restore([e], "completed")
            e.completed_at = _at(c.end_date, 17)

    def _outcome(self, c, e) -> Outcome | None:
        if e.status != "completed" or self.rng.random() > 0.97:
            return None
        kind = self.rng.choices([k for k, _w in OUTCOME_KINDS], [w for _k, w in OUTCOME_KINDS])[0]
        issued = c.end_date + datetime.timedelta(days=self.rng.randrange(3, 26))
        self.certificate_serial += 1
        n = self.certificate_serial
        yy = issued.year % 100
        if kind == "skill_certificate":
            number = f"Y12{yy:02d}{n // 1_000_000:010d}{c.level}{n % 1_000_000:06d}"
            level = c.level
        else:
            number = f"{'ZX' if kind == 'special_ability' else 'PX'}12{yy:02d}{n:08d}"
            level = None
        return Outcome(
            enrolment=e,
            kind=kind,
            certificate_number=number,
            level=level,
            issuing_body=self.rng.choice(self.issuers),
            issued_on=issued,
            recorded_at=_at(issued + datetime.timedelta(days=2), 10),
        )

    # the flow ----------------------------------------------------------------------------
    def _flush(self, force=False) -> None:
        for key, model in (
            ("attendance", Attendance),
            ("outcomes", Outcome),
            ("audit", AuditEvent),
        ):
            rows = self.pending[key]
            if rows and (force or len(rows) >= BATCH * 4):
                if model is Attendance:
                    _insert_rows(Attendance, ATTENDANCE_COLUMNS, rows)
                elif model is AuditEvent:
                    AuditEvent.objects.bulk_create(rows, batch_size=BATCH)
                else:
                    _insert(model, rows)
                self.counts[f"training_{key}"] += len(rows)
                self.pending[key] = []

    def _audit_class(self, c) -> None:
        """The class's trail: filed, submitted, then reviewed (as the services would log)."""
        if not hasattr(self, "_class_type"):
            from django.contrib.contenttypes.models import ContentType

            self._class_type = ContentType.objects.get_for_model(TrainingClass)
        steps = [("training_class.filed", c.created_at, None, "draft")]
        if c.submitted_at:
            steps.append(("training_class.submit", c.submitted_at, "draft", "submitted"))
        if c.status in ("approved", "returned") and c.reviewed_at:
            name = "approve" if c.status == "approved" else "return"
            steps.append((f"training_class.{name}", c.reviewed_at, "submitted", c.status))
        if c.status == "cancelled":
            steps.append(
                ("training_class.cancel", c.submitted_at or c.created_at, "submitted", "cancelled")
            )
        for action, at, before, after in steps:
            reviewer = c.reviewed_by if action.endswith(("approve", "return")) else None
            self.pending["audit"].append(
                AuditEvent(
                    at=at,
                    actor=reviewer,
                    actor_label=reviewer.username if reviewer else c.organisation.name[:150],
                    action=action,
                    target_type=self._class_type,
                    target_id=str(c.pk),
                    target_label=c.name[:255],
                    organisation_id=c.organisation_id,
                    district_id=c.district_id,
                    channel="web",
                    data={
                        "from": before,
                        "to": after,
                        "reason": c.return_reason if action.endswith("return") else "",
                    },
                )
            )

    def _run_class(self, c) -> tuple[int, int]:
        """Enrol, attend, complete and certify one approved 2020 class, in memory; the rows are
        written in batches of classes (_write_batch). Returns the outcomes made (eligible,
        before/after READY_BY)."""
        rows = self._fill(c)
        sessions = self._sessions(c) if c._offline_hours else []
        adapt = connection.ops
        for s in sessions:
            morning = _at(s.date, 8)
            s._signins = [
                adapt.adapt_datetimefield_value(morning + datetime.timedelta(minutes=m))
                for m in range(30)
            ]
            s._evening = adapt.adapt_datetimefield_value(_at(s.date, 18))
            s._hours = adapt.adapt_decimalfield_value(s.hours, 7, 2)
        self.counts["training_sessions"] += len(sessions)
        detailed = c.organisation is self.home or self.rng.random() < self.detailed_share
        for e in rows:
            if e.status == "enrolled":
                self._attend(c, e, sessions, detailed)
        before = after = 0
        outcomes = []
        for e in rows:
            self.counts[f"enrolments_{e.status}"] += 1
            outcome = self._outcome(c, e)
            if outcome is None:
                continue
            outcomes.append(outcome)
            if e.eligible:
                if outcome.issued_on <= READY_BY:
                    before += 1
                else:
                    after += 1
        self.batch.append((c, rows, sessions, outcomes))
        if len(self.batch) >= 100:
            self._write_batch()
        return before, after

    def _write_batch(self) -> None:
        """Classes, then their sessions and enrolments, then the rows that need their keys."""
        if not self.batch:
            return
        classes = [item[0] for item in self.batch]
        TrainingClass.objects.bulk_create(classes)
        for c in classes:
            self._audit_class(c)
        TrainingSession.objects.bulk_create([s for item in self.batch for s in item[2]])
        Enrolment.objects.bulk_create([e for item in self.batch for e in item[1]])
        for row in self.pending["attendance"][self._attendance_done :]:
            row[0], row[1] = row[0].pk, row[1].pk
        for _c, _rows, _sessions, outcomes in self.batch:
            for outcome in outcomes:
                outcome.enrolment_id = outcome.enrolment.pk
            self.pending["outcomes"].extend(outcomes)
        self.batch = []
        self._flush()
        self._attendance_done = len(self.pending["attendance"])

    def build(self) -> dict[str, int]:
        target = round(SUBSIDISED_AT_SCALE_1 * self.s.scale)
        want_before = math.ceil(target * OUTCOMES_BEFORE_SHARE)
        want_after = math.ceil(target * OUTCOMES_AFTER_SHARE)
        before = after = 0
        self._first_class = None
        classes = 0
        barren = 0  # classes in a row that yielded nothing: the people are used up
        while before < want_before and barren < 50:
            c = self._class(self._start_in(datetime.date(2020, 1, 2), datetime.date(2020, 7, 20)))
            if self._first_class is None:
                self._first_class = c
            made = self._run_class(c)
            before, after = before + made[0], after + made[1]
            barren = 0 if sum(made) else barren + 1
            classes += 1
        barren = 0
        while after < want_after and barren < 50:
            c = self._class(self._start_in(datetime.date(2020, 7, 21), datetime.date(2020, 12, 5)))
            made = self._run_class(c)
            before, after = before + made[0], after + made[1]
            barren = 0 if sum(made) else barren + 1
            classes += 1
        self._write_batch()
        self._flush(force=True)
        self._other_states()
        self.s.training_targets = {"subsidised_by_cutoff": target, "eligible_outcomes": before}
        self.s.result.notes.append(
            f"Training: {before:,} eligible outcomes issued by {READY_BY} "
            f"(target for subsidised person-times {target:,}), {after:,} after; "
            f"detailed attendance rows for {self.detailed_share:.0%} of offline classes."
        )
        return {
            "training_classes": classes + self.counts["training_classes_other"],
            "enrolments": sum(v for k, v in self.counts.items() if k.startswith("enrolments_")),
            "enrolments_refused": self.counts["enrolments_refused"],
            "enrolments_completed": self.counts["enrolments_completed"],
            "training_sessions": self.counts["training_sessions"],
            "training_attendance": self.counts["training_attendance"],
            "training_outcomes": self.counts["training_outcomes"],
        }

    def _other_states(self) -> None:
        """Classes in every other state; review queues with work; an open class to enrol in."""
        today = clock.today()
        made = []

        def future(status, organisation=None, district=None):
            start = today + datetime.timedelta(days=self.rng.randrange(7, 60))
            c = self._class(start, status=status, organisation=organisation)
            if district is not None:
                c.district = district
                c.reviewed_by = self.reviewers.get(district.pk) if c.reviewed_by else None
            if status in ("approved", "returned"):
                c.reviewed_at = clock.now() - datetime.timedelta(hours=self.rng.randrange(1, 48))
            if status != "draft":
                c.submitted_at = clock.now() - datetime.timedelta(days=self.rng.randrange(1, 5))
            c.created_at = clock.now() - datetime.timedelta(days=6)
            made.append(c)
            return c

        for status in ("draft", "submitted", "returned", "cancelled", "approved"):
            future(status, organisation=self.home)
        future("submitted", organisation=self.home)
        for district in self.s.districts:
            local = [o for o in self.institutions if o.district_id == district.pk] or [
                self.rng.choice(self.institutions)
            ]
            for _ in range(self.rng.randrange(2, 5)):
                future("submitted", organisation=self.rng.choice(local), district=district)
            future("returned", organisation=self.rng.choice(local), district=district)
            future("draft", organisation=self.rng.choice(local), district=district)
        for _ in range(max(3, len(self.s.districts))):
            c = self._class(
                self._start_in(datetime.date(2020, 1, 2), datetime.date(2020, 11, 30)),
                status="cancelled",
            )
            made.append(c)
        TrainingClass.objects.bulk_create(made)
        for c in made:
            self._audit_class(c)
        self._flush(force=True)
        self.counts["training_classes_other"] = len(made)
        # The demo institution's open class has a few trainees already.
        open_class = next(c for c in made if c.organisation is self.home and c.status == "approved")
        if open_class.pk is None:
            open_class = TrainingClass.objects.get(
                organisation=self.home, status="approved", start_date__gt=today
            )
        facts = eligibility.TrainingFacts.of(open_class)
        rows = []
        for index in self.rng.sample(range(len(self.people)), min(8, len(self.people))):
            decision = eligibility.check(
                self.facts[index], facts, self.history[index], params=self.params
            )
            rows.append(
                ENROLMENT_WORKFLOW.start(
                    Enrolment(
                        training_class=open_class,
                        person=self.people[index],
                        eligible=decision.ok,
                        eligibility=eligibility.stored(decision),
                    ),
                    "enrolled" if decision.ok else "refused",
                )
            )
        Enrolment.objects.bulk_create(rows)


def build(scenario) -> dict[str, int]:
    return TrainingDemo(scenario).build()
