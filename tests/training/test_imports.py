"""Bulk enrolment and bulk attendance: all or nothing, every bad row named."""

import datetime
from decimal import Decimal

import pytest

from haihe.core.imports import job_create, run_job
from haihe.core.models import AuditEvent
from haihe.registry.models import Person
from haihe.training.models import Attendance, Enrolment, TrainingSession
from tests.factories import PersonFactory, make_ric, org_admin
from tests.training.factories import EnrolmentFactory, TrainingClassFactory
from tests.training.helpers import days_ago, running_class

pytestmark = pytest.mark.django_db

ENROL_HEADER = "班级编号,居民身份证号码,姓名,手机号码\n"
ATTEND_HEADER = "班级编号,居民身份证号码,课次日期,开始时间,结束时间,签到时间\n"


def run(actor, text, kind):
    job = job_create(actor=actor, kind=kind, filename="rows.csv", data=text.encode("utf-8"))
    return run_job(job.pk)


def test_good_enrolment_file_enrols_everyone_and_registers_new_people(inst_admin, approved_class):
    known = PersonFactory(name="老学员")
    new_ric = make_ric(datetime.date(1992, 4, 5), "F")
    text = ENROL_HEADER + "\n".join(
        [
            f"{approved_class.pk},{known.ric},老学员,",
            f"{approved_class.pk},{new_ric},新学员,13900001111",
        ]
    )
    job = run(inst_admin, text, "training-enrolments")
    assert job.status == "done", job.errors
    assert job.summary["created"] == 2
    assert job.summary["people"] == 1
    assert Person.objects.get(ric=new_ric).name == "新学员"
    assert Enrolment.objects.filter(training_class=approved_class, status="enrolled").count() == 2
    assert AuditEvent.objects.filter(action="enrolment.enrolled").count() == 2


def test_one_bad_row_enrols_nobody_and_every_bad_row_is_named(
    inst_admin, approved_class, institution, heping, other_institution
):
    old = make_ric(datetime.date(1950, 1, 1), "M")
    good = make_ric(datetime.date(1990, 1, 1), "M")
    draft = TrainingClassFactory(organisation=institution, district=heping, status="draft")
    foreign = TrainingClassFactory(organisation=other_institution, status="approved")
    already = EnrolmentFactory(training_class=approved_class)
    c = approved_class.pk
    rows = [
        f"{c},{good},好学员,",  # row 2: fine
        f"{c},{old},老人,",  # row 3: past retirement age
        f"{c},120101199003071230,坏号,",  # row 4: bad check digit
        f"{draft.pk},{make_ric()},某人,",  # row 5: class not approved
        f"{foreign.pk},{make_ric()},某人,",  # row 6: another organisation's class
        f"{c},{good},好学员,",  # row 7: duplicate of row 2
        f"{c},{already.person.ric},{already.person.name},",  # row 8: already enrolled
        f"abc,{make_ric()},某人,",  # row 9: class id not a number
    ]
    job = run(inst_admin, ENROL_HEADER + "\n".join(rows), "training-enrolments")
    assert job.status == "failed"
    assert sorted({e["row"] for e in job.errors}) == [3, 4, 5, 6, 7, 8, 9]
    by_row = {e["row"]: e for e in job.errors}
    assert "退休" in by_row[3]["message"]
    assert "备案" in by_row[5]["message"]
    assert "重复" in by_row[7]["message"]
    assert Enrolment.objects.count() == 1  # only the pre-existing one
    assert not Person.objects.filter(ric=good).exists()


def test_rows_of_one_file_count_against_each_other(inst_admin, institution, heping):
    """The same person in two overlapping classes in one file: the second row is refused."""
    a = TrainingClassFactory(organisation=institution, district=heping, status="approved")
    b = TrainingClassFactory(
        organisation=institution,
        district=heping,
        status="approved",
        start_date=a.start_date,
        end_date=a.end_date,
        occupation=a.occupation,
        level=3,
    )
    ric = make_ric(datetime.date(1990, 1, 1))
    job = run(
        inst_admin, ENROL_HEADER + f"{a.pk},{ric},甲,\n{b.pk},{ric},甲,", "training-enrolments"
    )
    assert job.status == "failed"
    assert [e["row"] for e in job.errors] == [3]
    assert "重叠" in job.errors[0]["message"]


def test_another_organisation_cannot_bulk_enrol_into_my_class(approved_class, other_institution):
    job = run(
        org_admin(other_institution),
        ENROL_HEADER + f"{approved_class.pk},{make_ric()},某人,",
        "training-enrolments",
    )
    assert job.status == "failed"
    assert not Enrolment.objects.exists()


def test_attendance_upload_creates_sessions_signs_in_and_completes(inst_admin, institution, heping):
    c = running_class(institution, heping)  # 10 planned hours: 8 needed
    e = EnrolmentFactory(training_class=c)
    d1, d2 = days_ago(3).isoformat(), days_ago(2).isoformat()
    text = ATTEND_HEADER + "\n".join(
        [
            f"{c.pk},{e.person.ric},{d1},09:00,13:00,{d1} 08:55",
            f"{c.pk},{e.person.ric},{d2},09:00,13:00,",
        ]
    )
    job = run(inst_admin, text, "training-attendance")
    assert job.status == "done", job.errors
    assert TrainingSession.objects.filter(training_class=c).count() == 2
    e.refresh_from_db()
    assert e.attended_hours == Decimal(8)
    assert e.status == "completed"
    assert job.summary["completed"] == 1


def test_bad_attendance_rows_write_nothing(inst_admin, institution, heping):
    c = running_class(institution, heping)
    e = EnrolmentFactory(training_class=c)
    stranger = PersonFactory()
    d1 = days_ago(3).isoformat()
    rows = [
        f"{c.pk},{e.person.ric},{d1},09:00,13:00,",  # row 2: fine
        f"{c.pk},{stranger.ric},{d1},09:00,13:00,",  # row 3: not enrolled
        f"{c.pk},{e.person.ric},{days_ago(9).isoformat()},09:00,13:00,",  # row 4: before start
        f"{c.pk},{e.person.ric},{d1},14:00,19:00,",  # row 5: 9 hours that day
        f"{c.pk},{e.person.ric},{d1},09:00,13:00,",  # row 6: duplicate of row 2
        f"{c.pk},{e.person.ric},{d1},09:00,12:00,",  # row 7: same session, other end time
        f"{c.pk},{e.person.ric},{days_ago(1).isoformat()},09:00,10:00,{d1} 09:00",  # row 8
        f"{c.pk},{e.person.ric},{d1},9 点,13:00,",  # row 9: bad time
    ]
    job = run(inst_admin, ATTEND_HEADER + "\n".join(rows), "training-attendance")
    assert job.status == "failed"
    assert sorted({err["row"] for err in job.errors}) == [3, 4, 5, 6, 7, 8, 9]
    assert not Attendance.objects.exists()
    assert not TrainingSession.objects.exists()
