"""Training benchmark: a 500-row bulk enrolment (check, then write) and one-by-one enrolment.

    uv run python bench/training_enrolment.py            # SQLite in a temporary directory
    uv run python bench/training_enrolment.py --rows 2000

Beside the class, every trainee already has two other subsidised trainings in the registry, so
each row is judged against a real history. Prints medians of several runs.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="haihe-training-bench-")
    os.environ["HAIHE_VAR_DIR"] = workdir
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["HAIHE_TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haihe.settings")
    import django

    django.setup()
    import datetime

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from haihe.core.imports import IMPORTERS, job_create, run_job
    from haihe.core.tabular import parse_table
    from haihe.policy.loader import load_parameters
    from haihe.registry.services import DATA_DIR, load_districts, occupations_replace
    from haihe.training import services
    from haihe.training.models import Enrolment
    from tests.factories import OrganisationFactory, PersonFactory, make_ric, org_admin
    from tests.training.factories import TrainingClassFactory

    call_command("migrate", verbosity=0)
    load_districts("120000")
    occupations_replace(actor=None, text=(DATA_DIR / "occupations.csv").read_text("utf-8"))
    load_parameters("120000")
    institution = OrganisationFactory(kinds=["training_institution"])
    admin = org_admin(institution)
    today = timezone.localdate()
    year = today.year + 1
    people = [
        PersonFactory(ric=make_ric(datetime.date(1985, 1, 1) + datetime.timedelta(days=i)))
        for i in range(args.rows * args.runs + 50)
    ]
    history = [
        TrainingClassFactory(
            status="approved",
            organisation=institution,
            level=level,
            start_date=datetime.date(year, month, 1),
            end_date=datetime.date(year, month, 5),
        )
        for month, level in ((1, 5), (4, 3))
    ]
    Enrolment.objects.bulk_create(
        [Enrolment(training_class=c, person=p, status="completed") for p in people for c in history]
    )
    importer = IMPORTERS["training-enrolments"]
    check_times, write_times, one_times = [], [], []
    for run in range(args.runs):
        target = TrainingClassFactory(
            organisation=institution,
            district=institution.district,
            status="approved",
            level=2,
            start_date=datetime.date(year, 9, 1),
            end_date=datetime.date(year, 9, 10),
            capacity=args.rows + 10,
        )
        chunk = people[run * args.rows : (run + 1) * args.rows]
        text = "班级编号,居民身份证号码,姓名\n" + "\n".join(
            f"{target.pk},{p.ric},{p.name}" for p in chunk
        )
        data = text.encode("utf-8")
        parsed = parse_table(importer.columns, data, "bench.csv")
        started = time.perf_counter()
        errors = importer.check(admin, parsed)
        check_times.append(time.perf_counter() - started)
        assert not errors, errors[:3]
        started = time.perf_counter()
        job = run_job(
            job_create(actor=admin, kind="training-enrolments", filename="b.csv", data=data).pk
        )
        write_times.append(time.perf_counter() - started)
        assert job.status == "done", job.errors[:3]
    single = TrainingClassFactory(
        organisation=institution,
        district=institution.district,
        status="approved",
        level=1,
        start_date=datetime.date(year, 11, 1),
        end_date=datetime.date(year, 11, 10),
        capacity=100,
    )
    for person in people[-50:]:
        started = time.perf_counter()
        with transaction.atomic():
            services.enrol(actor=admin, training_class=single, person=person)
        one_times.append(time.perf_counter() - started)
    print(f"bulk enrolment of {args.rows} rows (SQLite), medians of {args.runs} runs:")
    print(f"  check only (parse excluded): {statistics.median(check_times) * 1000:8.0f} ms")
    print(
        f"  whole import job (parse, check, write, audit): "
        f"{statistics.median(write_times) * 1000:8.0f} ms"
    )
    print(
        f"one-by-one enrolment (eligibility + write + audit), median of 50: "
        f"{statistics.median(one_times) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
