"""Bulk import: all or nothing, every bad row named (row, column, reason), in the user's words."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from haihe.core.imports import job_create, run_job
from haihe.core.models import AuditEvent, ImportJob
from haihe.registry.models import Affiliation, KeyGroupMembership, Organisation, Person
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    bureau_admin,
    district_reviewer,
    make_ric,
    make_uscc,
    org_staff,
)

pytestmark = pytest.mark.django_db

HEADER = "居民身份证号码,姓名,居住区,手机号码\n"


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def run(actor, data: bytes, kind="people", filename="people.csv") -> ImportJob:
    job = job_create(actor=actor, kind=kind, filename=filename, data=data)
    return run_job(job.pk)


def test_good_file_is_imported_with_audit(districts):
    rows = [f"{make_ric()},张三{i},和平区,1381234567{i}" for i in range(5)]
    job = run(bureau_admin(), csv_bytes(HEADER + "\n".join(rows)))
    assert job.status == "done", job.errors
    assert job.summary["created"] == 5
    assert Person.objects.count() == 5
    assert AuditEvent.objects.filter(action="person.registered").count() == 5
    assert AuditEvent.objects.filter(action="import.people").count() == 1


def test_one_bad_row_imports_nothing_and_every_bad_row_is_named(districts):
    good = make_ric()
    text = HEADER + "\n".join(
        [
            f"{good},好人,和平区,13812345678",
            "120101199003071230,坏号,和平区,13812345678",  # wrong check digit
            f"{make_ric()},,河西区,",  # no name
            f"{make_ric()},某人,火星区,",  # unknown district
            f"{make_ric()},某人,河西区,1234",  # bad mobile
            f"{good},好人,和平区,13812345678",  # duplicate of row 2
        ]
    )
    job = run(bureau_admin(), csv_bytes(text))
    assert job.status == "failed"
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {
        (3, "居民身份证号码"),
        (4, "姓名"),
        (5, "居住区"),
        (6, "手机号码"),
        (7, "居民身份证号码"),
    }
    duplicate = next(e for e in job.errors if e["row"] == 7)
    assert "第 2 行" in duplicate["message"]
    assert Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="person.").exists()


def test_errors_are_in_the_uploaders_language(districts):
    with translation.override("en"):
        job = job_create(
            actor=bureau_admin(),
            kind="people",
            filename="p.csv",
            data=csv_bytes("ric,name,district\n120101199003071230,Bad,120101\n"),
        )
    job = run_job(job.pk)
    assert job.errors[0]["message"] == (
        "The check character of the Resident Identity Card number is wrong."
    )
    assert job.errors[0]["column"] == "Resident Identity Card number"


def test_missing_column_and_wrong_file_type(districts):
    job = run(bureau_admin(), csv_bytes("姓名\n张三\n"))
    assert job.status == "failed" and "缺少必需的列" in job.errors[0]["message"]
    job = run(bureau_admin(), b"\x00\x01", filename="x.pdf")
    assert job.status == "failed" and ".xlsx" in job.errors[0]["message"]
    job = run(bureau_admin(), csv_bytes(HEADER))
    assert job.status == "failed" and "没有数据行" in job.errors[0]["message"]


def test_xlsx_import_and_existing_people_are_updated_not_duplicated(districts):
    existing = PersonFactory(district=districts["120101"], name="老王", mobile="13800000000")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["居民身份证号码", "姓名", "居住区", "手机号码"])
    sheet.append([existing.ric, "老王", "120103", "13900000000"])
    sheet.append([make_ric(), "小李", "河西区", None])
    buffer = io.BytesIO()
    book.save(buffer)
    job = run(bureau_admin(), buffer.getvalue(), filename="people.xlsx")
    assert job.status == "done", job.errors
    assert job.summary == {"created": 1, "updated": 1, "unchanged": 0, "key_groups": 0}
    existing.refresh_from_db()
    assert existing.mobile == "13900000000" and existing.district.code == "120103"
    assert Person.objects.filter(ric=existing.ric).count() == 1


def test_organisation_import_registers_new_people_and_ties_nobody_to_it(districts):
    org = OrganisationFactory(district=districts["120101"])
    staff = org_staff(org)
    known = PersonFactory(district=districts["120101"], name="已登记", mobile="13800000000")
    new_ric = make_ric()
    text = HEADER + f"{known.ric},已登记,河西区,13900000000\n{new_ric},新人,和平区,\n"
    job = run(staff, csv_bytes(text))
    assert job.status == "done", job.errors
    assert job.summary == {"received": 2}
    assert Person.objects.get(ric=new_ric).name == "新人"
    known.refresh_from_db()
    assert (known.district.code, known.mobile) == ("120101", "13800000000")  # unchanged
    assert not Affiliation.objects.filter(organisation=org).exists()
    assert Person.objects.visible_to(staff).count() == 0
    # another name for a known RIC is no error (that would tell the registry's content) ...
    job = run(staff, csv_bytes(HEADER + f"{known.ric},别名,和平区,\n"))
    assert job.status == "done" and job.summary == {"received": 1}
    assert Person.objects.get(pk=known.pk).name == "已登记"
    # ... but the bureau and the district see it
    event = AuditEvent.objects.get(action="person.registration_name_mismatch")
    assert event.data["name"] == "别名" and event.organisation_id is None


def test_key_groups_only_from_the_bureau(districts):
    text = (
        "居民身份证号码,姓名,居住区,重点群体,重点群体起始日期,证明材料\n"
        f"{make_ric()},张三,和平区,农民工,2020-01-01,务工证明\n"
    )
    org = OrganisationFactory(district=districts["120101"])
    assert run(org_staff(org), csv_bytes(text)).status == "failed"
    job = run(bureau_admin(), csv_bytes(text))
    assert job.status == "done", job.errors
    assert KeyGroupMembership.objects.get().group == "migrant_worker"


def test_organisations_import(districts):
    code = make_uscc("120116")
    wrong = code[:-1] + ("1" if code[-1] != "1" else "2")
    text = (
        "统一社会信用代码,单位名称,所在区,单位类型,企业规模,参保状态,参保状态起始日期\n"
        f"{code},天津甲公司,滨海新区,企业;培训机构,小型,正常参保,2019-01-01\n"
        f"{wrong},天津乙公司,滨海新区,企业,微型,,\n"
    )
    job = run(bureau_admin(), csv_bytes(text), kind="organisations", filename="o.csv")
    assert job.status == "failed"
    assert job.errors[0]["row"] == 3 and job.errors[0]["column"] == "统一社会信用代码"
    assert Organisation.objects.count() == 0
    text = text.splitlines()[0] + "\n" + text.splitlines()[1] + "\n"
    job = run(bureau_admin(), csv_bytes(text), kind="organisations", filename="o.csv")
    assert job.status == "done", job.errors
    org = Organisation.objects.get()
    assert sorted(org.kind_codes()) == ["enterprise", "training_institution"]
    assert org.insurance_periods.get().status == "insured"


def test_upload_pages_permissions_and_template(client, districts):
    client.force_login(district_reviewer(districts["120101"]))
    assert client.get(reverse("core:import_start", args=["people"])).status_code == 403
    org = OrganisationFactory(district=districts["120101"])
    client.force_login(org_staff(org))
    assert client.get(reverse("core:import_start", args=["organisations"])).status_code == 403
    response = client.get(reverse("core:import_template", args=["people", "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.active[1]][:3] == ["居民身份证号码", "姓名", "居住区"]
    csv_template = client.get(reverse("core:import_template", args=["people", "csv"]))
    assert csv_template.content.decode("utf-8-sig").startswith("居民身份证号码,姓名")


def test_upload_through_the_page_runs_and_shows_progress(
    client, districts, django_capture_on_commit_callbacks
):
    client.force_login(bureau_admin())
    upload = io.BytesIO(csv_bytes(HEADER + f"{make_ric()},张三,和平区,\n"))
    upload.name = "people.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:import_start", args=["people"]), {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "已导入" in body, body[body.find("<main") :]
    partial = client.get(response["Location"], headers={"HX-Request": "true"})
    assert b"<progress" in partial.content and b"<html" not in partial.content


def test_an_upload_is_seen_only_by_its_uploader(client, districts):
    owner = bureau_admin()
    job = run(owner, csv_bytes(HEADER + "120101199003071230,坏号,和平区,\n"))
    assert list(ImportJob.objects.visible_to(owner)) == [job]
    other = bureau_admin()
    assert ImportJob.objects.visible_to(other).count() == 0
    client.force_login(other)
    assert client.get(reverse("core:import_job", args=[job.pk])).status_code == 404
    client.force_login(owner)
    assert client.get(reverse("core:import_job", args=[job.pk])).status_code == 200
