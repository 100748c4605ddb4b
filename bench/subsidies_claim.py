"""Subsidy benchmark: checking a 500-line claim, and loading a reviewer's queue at a demo scale.

    uv run python bench/subsidies_claim.py                       # SQLite, demo --scale 0.02
    uv run python bench/subsidies_claim.py --scale 1             # the article's sizes
    uv run python bench/subsidies_claim.py --db postgres --scale 1

1. A class with 500 trainees, each with an outcome and 20 signed-in sessions (10,000
   attendance rows), beside 2,000 other enrolments of the same people: prints how long the rule
   takes to judge the 500 lines (claim_create), how long the five checks take (run_checks), and
   a whole submission (re-judging, holding the outcomes, checking).
2. The demo scenario at `--scale` (all steps: training, then subsidies, …): prints how long a
   district reviewer's and a municipal reviewer's queue page takes (first page, a filtered page
   and a later page), rendered by Django as the browser gets it. If the training step is not
   available the claims are synthesised in bulk at the same scale (say so in the output).

The database is made afresh in a temporary directory (SQLite) or recreated (PostgreSQL database
`helper_subsidies_bench` on 127.0.0.1). Times are medians of several runs.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(db: str, workdir: str) -> None:
    os.environ["HAIHE_VAR_DIR"] = workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haihe.settings")
    os.environ["HAIHE_TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
    if db == "postgres":
        url = os.environ.get(
            "SUBSIDIES_BENCH_DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/helper_subsidies_bench",
        )
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    import logging

    import django

    django.setup()
    logging.getLogger("django.tasks").setLevel(logging.WARNING)  # the demo's tasks are quiet
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)


def _median(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def bench_claim(lines: int, runs: int) -> None:
    import datetime
    import random
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone
    from stdnum.cn import ric as stdnum_ric

    from haihe.accounts.models import User
    from haihe.policy.loader import load_parameters
    from haihe.registry.models import District, Occupation, Organisation, OrganisationKind, Person
    from haihe.registry.services import DATA_DIR, load_districts, occupations_replace
    from haihe.subsidies import services
    from haihe.subsidies.checks import run_checks
    from haihe.subsidies.models import Claim, ClaimLine
    from haihe.training.models import (
        Attendance,
        Enrolment,
        Outcome,
        TrainingClass,
        TrainingSession,
    )

    load_districts("120000")
    occupations_replace(actor=None, text=(DATA_DIR / "occupations.csv").read_text("utf-8"))
    load_parameters("120000")
    rng = random.Random(500)
    district = District.objects.get(code="120101")
    occupations = list(Occupation.objects.order_by("code")[:5])
    org = Organisation.objects.create(
        uscc="52120101MJ0000001X", name="基准测试培训学校", district=district, bank_account="1"
    )
    OrganisationKind.objects.create(organisation=org, kind="training_institution")
    filer = User.objects.create(username="bench-filer", role="org_admin", organisation=org)
    people = []
    for i in range(lines):
        body = (
            f"120101{datetime.date(1985, 1, 1) + datetime.timedelta(days=i):%Y%m%d}{i % 100:02d}1"
        )
        people.append(
            Person(
                ric=body + stdnum_ric.calc_check_digit(body + "0"),
                name=f"学员{i}",
                birth_date=datetime.date(1985, 1, 1) + datetime.timedelta(days=i),
                sex="M",
                district=district,
            )
        )
    Person.objects.bulk_create(people)
    people = list(Person.objects.order_by("id"))
    start = timezone.localdate() - datetime.timedelta(days=60)

    def make_class(occupation, begin, status="approved"):
        return TrainingClass.objects.create(
            organisation=org,
            name=f"基准班{occupation.code}{begin}",
            occupation=occupation,
            level=4,
            mode="offline",
            planned_theory_hours=Decimal(80),
            planned_practice_hours=Decimal(80),
            start_date=begin,
            end_date=begin + datetime.timedelta(days=30),
            district=district,
            capacity=lines,
            status=status,
        )

    def enrol_all(klass, status):
        at = timezone.make_aware(datetime.datetime.combine(klass.start_date, datetime.time(9)))
        Enrolment.objects.bulk_create(
            [
                Enrolment(training_class=klass, person=p, status=status, enrolled_at=at)
                for p in people
            ]
        )
        return list(Enrolment.objects.filter(training_class=klass).order_by("id"))

    # the people's other trainings (history the rule and the checks read)
    for k, occupation in enumerate(occupations[1:]):
        other = make_class(occupation, start - datetime.timedelta(days=200 + 40 * k))
        enrol_all(other, "completed")
    klass = make_class(occupations[0], start)
    enrolments = enrol_all(klass, "completed")
    issued = klass.end_date + datetime.timedelta(days=5)
    Outcome.objects.bulk_create(
        [
            Outcome(
                enrolment=e,
                kind="skill_certificate",
                certificate_number=f"S000112000001{issued:%y}4{i:06d}",
                level=4,
                issuing_body="基准评价机构",
                issued_on=issued,
            )
            for i, e in enumerate(enrolments)
        ]
    )
    sessions = []
    for day in range(20):
        sessions.append(
            TrainingSession(
                training_class=klass,
                date=klass.start_date + datetime.timedelta(days=day),
                starts_at=datetime.time(9),
                ends_at=datetime.time(13),
                hours=Decimal(4),
                kind="theory",
            )
        )
    TrainingSession.objects.bulk_create(sessions)
    sessions = list(TrainingSession.objects.filter(training_class=klass))
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=s,
                enrolment=e,
                signed_in_at=timezone.make_aware(
                    datetime.datetime.combine(s.date, datetime.time(9, rng.randrange(10)))
                ),
                hours=Decimal(4),
            )
            for s in sessions
            for e in enrolments
        ],
        batch_size=5000,
    )
    print(f"claim of {lines} lines; {Attendance.objects.count():,} attendance rows")

    def create():
        with transaction.atomic():
            claim = services.claim_create(actor=filer, training_class=klass)
            ClaimLine.objects.filter(claim=claim).delete()
            claim.delete()
        return claim

    elapsed, _claim = _median(create, runs)
    print(f"  judge {lines} lines (claim_create, rule with explanations): {elapsed * 1000:.0f} ms")
    claim = services.claim_create(actor=filer, training_class=klass)
    elapsed, raised = _median(lambda: run_checks([claim.pk]), runs)
    print(
        f"  run the 5 checks on {lines} lines (run_checks, {raised} raised): "
        f"{elapsed * 1000:.0f} ms"
    )

    def submit():
        with transaction.atomic():
            done = services.claim_submit(actor=filer, claim=claim)
            transaction.set_rollback(True)
        return done

    elapsed, _done = _median(submit, runs)
    print(f"  submit (judge again, hold outcomes, check): {elapsed * 1000:.0f} ms")
    Claim.objects.filter(pk=claim.pk).update(status="withdrawn")
    ClaimLine.objects.filter(claim=claim).update(holds_outcome=False)


def bench_queue(scale: float, runs: int) -> None:
    import importlib.util

    from django.test import Client
    from django.test.utils import setup_test_environment

    from haihe.demo.generator import Scenario
    from haihe.subsidies.models import Claim, ClaimLine

    setup_test_environment()
    source = "demo"
    started = time.perf_counter()
    if importlib.util.find_spec("haihe.demo.training_scenario") is None:
        source = "synthetic (the training step is not available)"
    Scenario(seed=2020, scale=scale).build()
    if source != "demo" or not Claim.objects.exists():
        source = "synthetic (the training step left no outcomes)"
        _synthesise(scale)
    built = time.perf_counter() - started
    import datetime

    from haihe.subsidies.figures import person_times

    print(
        f"\nqueue at scale {scale} ({source}): {Claim.objects.count():,} claims, "
        f"{ClaimLine.objects.count():,} lines; built in {built:.0f} s; "
        f"subsidised_training_person_times as of 2020-09-30: "
        f"{person_times(datetime.date(2020, 9, 30)):,}"
    )
    from haihe.accounts.models import User
    from haihe.subsidies.selectors import review_queue

    reviewers = [User.objects.get(username="municipal1")]
    districts = sorted(
        User.objects.filter(role="district_reviewer"),
        key=lambda u: -review_queue(u).count(),
    )
    reviewers.append(districts[0])
    client = Client()
    for user in reviewers:
        client.force_login(user)
        waiting = review_queue(user).count()
        for label, query in (
            ("first page", ""),
            ("filtered (checks raised)", "?checks=yes"),
            ("page 10", "?page=10"),
        ):

            def load(q=query):
                response = client.get("/subsidies/queue/" + q)
                assert response.status_code == 200, response.status_code
                return response

            elapsed, _response = _median(load, runs)
            print(f"  {user.username} ({waiting:,} waiting) {label}: {elapsed * 1000:.0f} ms")


def _synthesise(scale: float) -> None:
    """Claims and lines at the demo's sizes without the training step: one class per claim,
    30 lines each, statuses in the demo's proportions (for timing the queue only)."""
    import datetime
    import random
    from decimal import Decimal

    from django.utils import timezone

    from haihe.registry.models import District, Occupation, Organisation, Person
    from haihe.subsidies.models import Claim, ClaimLine
    from haihe.training.models import Enrolment, Outcome, TrainingClass

    rng = random.Random(1)
    total_lines = round(440_000 * scale)
    per_claim = 30
    districts = list(District.objects.all())
    orgs = list(Organisation.objects.filter(kinds__kind="training_institution"))
    occupations = list(Occupation.objects.all())
    people = list(Person.objects.values_list("id", flat=True))
    day = datetime.date(2020, 3, 1)
    n_claims = max(1, total_lines // per_claim)
    classes = [
        TrainingClass(
            organisation=rng.choice(orgs),
            occupation=rng.choice(occupations),
            level=rng.choice([3, 4, 5]),
            mode="offline",
            planned_theory_hours=Decimal(40),
            planned_practice_hours=Decimal(40),
            start_date=day + datetime.timedelta(days=i % 200),
            end_date=day + datetime.timedelta(days=i % 200 + 20),
            district=rng.choice(districts),
            capacity=per_claim,
            status="approved",
        )
        for i in range(n_claims)
    ]
    TrainingClass.objects.bulk_create(classes, batch_size=2000)
    classes = list(TrainingClass.objects.order_by("id"))
    statuses = ["approved"] * 60 + ["paid"] * 20 + ["submitted"] * 8 + ["district_approved"] * 6
    statuses += ["returned"] * 4 + ["rejected"] * 2
    claims = []
    for i, klass in enumerate(classes):
        claims.append(
            Claim(
                number=f"BT2020{i:07d}",
                organisation_id=klass.organisation_id,
                training_class=klass,
                district_id=klass.district_id,
                status=rng.choice(statuses),
                submitted_at=timezone.make_aware(
                    datetime.datetime.combine(klass.end_date, datetime.time(10))
                ),
                submissions=1,
                included_lines=per_claim,
                claimed_amount=Decimal(1500 * per_claim),
                raised_checks=1 if rng.random() < 0.1 else 0,
            )
        )
    Claim.objects.bulk_create(claims, batch_size=2000)
    claims = list(Claim.objects.order_by("id"))
    decision = {"ok": True, "amount": "1500.00", "reasons": []}
    for start in range(0, len(classes), 500):
        chunk = classes[start : start + 500]
        enrolments = [
            Enrolment(training_class=k, person_id=p, status="completed")
            for k in chunk
            for p in rng.sample(people, per_claim)
        ]
        Enrolment.objects.bulk_create(enrolments, batch_size=5000)
        enrolments = list(
            Enrolment.objects.filter(training_class__in=chunk)
            .order_by("id")
            .values_list("id", "training_class_id", "person_id")
        )
        Outcome.objects.bulk_create(
            [
                Outcome(
                    enrolment_id=e,
                    kind="skill_certificate",
                    certificate_number=f"S0001120000012041{e:06d}"[:22],
                    issuing_body="x",
                    issued_on=day,
                )
                for e, _k, _p in enrolments
            ],
            batch_size=5000,
        )
        outcomes = dict(
            Outcome.objects.filter(enrolment__training_class__in=chunk).values_list(
                "enrolment_id", "id"
            )
        )
        by_class = {c.training_class_id: c.pk for c in claims[start : start + 500]}
        ClaimLine.objects.bulk_create(
            [
                ClaimLine(
                    claim_id=by_class[k],
                    outcome_id=outcomes[e],
                    enrolment_id=e,
                    person_id=p,
                    amount=Decimal(1500),
                    decision=decision,
                    holds_outcome=True,
                )
                for e, k, p in enrolments
            ],
            batch_size=5000,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", type=float, default=0.02)
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-queue", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="haihe-bench-") as workdir:
        _setup(args.db, workdir)
        print(f"database: {args.db}")
        bench_claim(args.lines, args.runs)
        if not args.skip_queue:
            from django.core.management import call_command

            call_command("flush", verbosity=0, interactive=False)
            bench_queue(args.scale, args.runs)


if __name__ == "__main__":
    main()
