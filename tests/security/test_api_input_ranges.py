"""Issue 9, items 1 and 5: out-of-range input is refused with the field named by every path
(API, form, import, service) and by the database, never stored, never a 500; permission is
checked before anything of a request is parsed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from haihe.core.imports import job_create, run_job
from haihe.registry.models import District, InsurancePeriod
from haihe.subsidies.models import CatalogueEntry
from haihe.supervision.models import Flag
from haihe.training import services
from haihe.training.models import Attendance, Enrolment, TrainingClass, TrainingSession
from tests.factories import PersonFactory, org_admin, worker
from tests.security.conftest import token_client
from tests.training.factories import EnrolmentFactory, TrainingClassFactory, occupation, soon
from tests.training.helpers import days_ago, running_class

pytestmark = pytest.mark.django_db
BIG = 2**63
# The database refuses: a CHECK constraint (SQLite, PostgreSQL), or on PostgreSQL the column's own
# type first (numeric(7,2) overflow, integer out of range).
REFUSED = (IntegrityError, DataError)


def class_payload(**overrides):
    data = {
        "name": "范围检查班",
        "occupation": occupation().code,
        "level": 4,
        "mode": "offline",
        "planned_theory_hours": "20",
        "planned_practice_hours": "20",
        "start_date": soon(10).isoformat(),
        "end_date": soon(15).isoformat(),
        "district": "120101",
        "capacity": 30,
    }
    data.update(overrides)
    return data


def fields(response) -> set:
    assert response["Content-Type"] == "application/problem+json", response.content
    return {e["field"] for e in response.json()["errors"]}


# 1e10 hours (and the other fuzzed values) by every path --------------------------------------
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("planned_theory_hours", 1e10),
        ("planned_theory_hours", 1.4e308),
        ("planned_practice_hours", "99999.99"),
        ("capacity", 258_421_420_284),
        ("mode", "ôl"),
    ],
)
def test_api_refuses_out_of_range_class_values_naming_the_field(api, field, value):
    response = api.post(
        "/api/v1/training/classes",
        class_payload(**{field: value}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert fields(response) == {field}
    assert not TrainingClass.objects.exists()


def test_an_invalid_mode_without_a_platform_is_a_field_error_not_an_integrity_error(inst_admin):
    with pytest.raises(ValidationError) as refused:
        services.class_file(
            actor=inst_admin,
            occupation=occupation(),
            level=4,
            mode="ôl",
            planned_theory_hours=Decimal(20),
            planned_practice_hours=Decimal(20),
            start_date=soon(10),
            end_date=soon(15),
            district=District.objects.get(code="120101"),
            capacity=30,
        )
    assert set(refused.value.message_dict) == {"mode"}
    assert not TrainingClass.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("planned_theory_hours", Decimal("1e10")),
        ("planned_theory_hours", Decimal("1.4e308")),
        ("planned_practice_hours", Decimal("2000.01")),
        ("capacity", 258_421_420_284),
        ("start_date", datetime.date(1, 1, 1)),
    ],
)
def test_the_service_refuses_them_whoever_calls_it(inst_admin, field, value):
    data = {
        "occupation": occupation(),
        "level": 4,
        "mode": "offline",
        "planned_theory_hours": Decimal(20),
        "planned_practice_hours": Decimal(20),
        "start_date": datetime.date(2000, 1, 1),
        "end_date": soon(15),
        "district": District.objects.get(code="120101"),
        "capacity": 30,
        field: value,
    }
    with pytest.raises(ValidationError) as refused:
        services.class_file(actor=inst_admin, **data)
    assert field in refused.value.message_dict
    assert not TrainingClass.objects.exists()


def test_the_service_refuses_them_on_an_update_too(inst_admin, institution, heping):
    draft = TrainingClassFactory(organisation=institution, district=heping)
    with pytest.raises(ValidationError) as refused:
        services.class_update(
            actor=inst_admin, training_class=draft, planned_theory_hours=Decimal("1e10")
        )
    assert set(refused.value.message_dict) == {"planned_theory_hours"}
    draft.refresh_from_db()
    assert draft.planned_theory_hours == Decimal(20)


def test_the_form_refuses_1e10_hours_naming_the_field(client, inst_admin):
    client.force_login(inst_admin)
    data = class_payload(planned_theory_hours="1e10")
    data["occupation"] = occupation().pk
    data["district"] = District.objects.get(code="120101").pk
    response = client.post(reverse("training:class_new"), data)
    assert response.status_code in (200, 400)
    assert "planned_theory_hours" in response.context["form"].errors
    assert not TrainingClass.objects.exists()


def test_the_class_import_refuses_1e10_hours_naming_the_column_and_files_nothing(inst_admin):
    header = (
        "职业编码,培训等级,培训方式,计划理论课时,计划实操课时,开班日期,结业日期,"
        "培训地点所在区,计划人数\n"
    )
    good = f"{occupation().code},4,线下,20,20,{soon(10)},{soon(15)},120101,30"
    bad = f"{occupation().code},4,线下,1e10,20,{soon(10)},{soon(15)},120101,30"
    job = job_create(
        actor=inst_admin,
        kind="training-classes",
        filename="classes.csv",
        data=(header + good + "\n" + bad).encode(),
    )
    job = run_job(job.pk)
    assert job.status == "failed"
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "计划理论课时")]
    assert not TrainingClass.objects.exists()
    ok = job_create(
        actor=inst_admin, kind="training-classes", filename="c.csv", data=(header + good).encode()
    )
    assert run_job(ok.pk).status == "done"
    assert TrainingClass.objects.get().planned_theory_hours == Decimal(20)


# the database backs each rule ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("planned_theory_hours", Decimal("1e10")),
        ("planned_practice_hours", Decimal("-1")),
        ("capacity", 258_421_420_284),
        ("capacity", 0),
        ("mode", "ôl"),
        ("status", "limbo"),
        ("level", 9),
    ],
)
def test_a_check_constraint_refuses_a_direct_orm_write(institution, heping, field, value):
    row = TrainingClassFactory(organisation=institution, district=heping)
    with pytest.raises(REFUSED), transaction.atomic():
        TrainingClass.objects.filter(pk=row.pk).update(**{field: value})


def test_check_constraints_of_the_other_modules(institution, heping):
    enrolment = EnrolmentFactory(training_class=TrainingClassFactory(organisation=institution))
    attempts = [
        lambda: Enrolment.objects.filter(pk=enrolment.pk).update(attended_hours=Decimal("1e6")),
        lambda: Enrolment.objects.filter(pk=enrolment.pk).update(status="ghost"),
        lambda: InsurancePeriod.objects.create(
            organisation=institution,
            status="insured",
            valid_from=datetime.date(2020, 1, 1),
            insured_headcount=10**9,
        ),
        lambda: InsurancePeriod.objects.create(
            organisation=institution, status="bogus", valid_from=datetime.date(2020, 1, 1)
        ),
        lambda: CatalogueEntry.objects.create(
            occupation=occupation(),
            level=4,
            outcome_kind="completion",
            amount=Decimal("100000.01"),
            effective_from=datetime.date(2020, 1, 1),
            source="x",
        ),
        lambda: Flag.objects.create(kind="ghost", subject_key="x"),
        lambda: District.objects.filter(pk=heping.pk).update(sort_order=10**5),
    ]
    for attempt in attempts:
        with pytest.raises(REFUSED), transaction.atomic():
            attempt()


# offsets and ids of 2**63 ------------------------------------------------------------------
def paginated_lists(client) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    found = [
        path
        for path, operations in schema["paths"].items()
        if any(p["name"] == "offset" for p in operations.get("get", {}).get("parameters", []))
    ]
    assert len(found) >= 9  # the nine lists of the probe, and any added since
    named = {"{person_id}": "1", "{kind}": "enterprise_training_centre"}
    for placeholder, value in named.items():
        found = [path.replace(placeholder, value) for path in found]
    return found


def test_offset_of_2_63_is_a_422_naming_offset_on_every_list(bureau_api):
    for path in paginated_lists(bureau_api):
        response = bureau_api.get(path, {"offset": BIG})
        assert response.status_code == 422, (path, response.content)
        assert fields(response) == {"offset"}, path


def test_offset_of_2_63_without_login(client):
    public = client.get("/api/v1/registry/occupations", {"offset": BIG})
    assert public.status_code == 422 and fields(public) == {"offset"}
    for path in paginated_lists(client):
        assert client.get(path, {"offset": BIG}).status_code in (401, 422), path


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/training/enrolments", "class_id"),
        ("/api/v1/training/outcomes", "class_id"),
        ("/api/v1/subsidies/claims", "training_class"),
        ("/api/v1/supervision/hours", "platform_id"),
        ("/api/v1/supervision/flags", "class_id"),
        ("/api/v1/supervision/trainees/1/sessions", "enrolment_id"),
    ],
)
def test_integer_filters_of_2_63_are_422_naming_the_filter(bureau_api, path, parameter):
    response = bureau_api.get(path, {parameter: BIG})
    assert response.status_code == 422
    assert fields(response) == {parameter}


def test_path_ids_of_2_63_are_422(bureau_api):
    for path in (
        "/api/v1/training/classes/{}",
        "/api/v1/registry/people/{}",
        "/api/v1/subsidies/claims/{}",
        "/api/v1/supervision/flags/{}",
    ):
        response = bureau_api.get(path.format(BIG))
        assert response.status_code == 422, path
        assert len(fields(response)) == 1


# attendance: time zones, and permission before parsing ---------------------------------------
def test_a_tz_aware_attendance_time_is_refused_naming_the_field(api, institution, heping):
    c = running_class(institution, heping)
    e = EnrolmentFactory(training_class=c, person=PersonFactory())
    response = api.post(
        "/api/v1/training/attendance",
        {
            "enrolment_id": e.pk,
            "date": days_ago(1).isoformat(),
            "starts_at": "09:00+08:00",
            "ends_at": "12:00:00Z",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert fields(response) == {"starts_at", "ends_at"}
    assert not TrainingSession.objects.exists() and not Attendance.objects.exists()


def test_a_sign_in_instant_out_of_range_is_a_400_not_a_500(api, institution, heping):
    c = running_class(institution, heping)
    e = EnrolmentFactory(training_class=c, person=PersonFactory())
    response = api.post(
        "/api/v1/training/attendance",
        {
            "enrolment_id": e.pk,
            "date": days_ago(1).isoformat(),
            "starts_at": "09:00",
            "ends_at": "12:00",
            "signed_in_at": "9999-12-31T23:59:59+00:00",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b'{"enrolment_id": 1, "date": "2020-01-01", "starts_at": "09:00+08:00", "ends_at": "x"}',
        b"{not json",
        b'{"enrolment_id": 9223372036854775808}',
        b"",
    ],
)
def test_a_worker_posting_attendance_gets_403_whatever_the_body(institution, body):
    person = PersonFactory()
    client = token_client(worker(person))
    response = client.post("/api/v1/training/attendance", body, content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_wrong_roles_get_403_before_parsing_on_every_write(institution, heping):
    person = PersonFactory()
    as_worker = token_client(worker(person))
    for path in (
        "/api/v1/training/classes",
        "/api/v1/training/classes/abc/submit",
        "/api/v1/training/enrolments",
        "/api/v1/training/outcomes",
        "/api/v1/subsidies/claims",
        "/api/v1/registry/people",
        "/api/v1/supervision/flags/abc/resolve",
    ):
        response = as_worker.post(path, b"{not json", content_type="application/json")
        assert response.status_code == 403, path
    as_institution = token_client(org_admin(institution))
    review = as_institution.post(
        "/api/v1/training/classes/abc/review", b"[]", content_type="application/json"
    )
    assert review.status_code == 403
    anonymous = Client().post("/api/v1/training/attendance", b"{", content_type="application/json")
    assert anonymous.status_code == 401
