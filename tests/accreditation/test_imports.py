"""Import of existing holders (the centres built before the platform): all or nothing, every
bad row named, a template to download; each row a Recognition with source "import", audited."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from haihe.accreditation.models import Recognition
from haihe.core.imports import job_create, run_job
from haihe.core.models import AuditEvent
from haihe.registry.models import Occupation
from tests.factories import OrganisationFactory, make_uscc

KIND = "accreditation-recognitions"
HEADER = [
    "认定编号",
    "统一社会信用代码",
    "认定类别",
    "有效期起",
    "有效期止",
    "认定范围（职业编码/等级；评价机构填写）",
]


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(actor, rows):
    job = job_create(actor=actor, kind=KIND, filename="holders.xlsx", data=xlsx(rows))
    return run_job(job.pk)


@pytest.fixture
def occupation(reference_data):
    return Occupation.objects.exclude(levels=[]).first()


def test_existing_holders_are_imported_with_their_numbers_and_dates(
    admin, enterprise, heping, occupation
):
    school = OrganisationFactory(district=heping, kinds=["technical_school"])
    level = occupation.levels[0]
    job = run(
        admin,
        [
            [
                "QP2016-0031",
                enterprise.uscc,
                "企业培训中心",
                datetime.date(2016, 9, 1),
                "2021-08-31",
                None,
            ],
            [
                "PJ2019-0002",
                school.uscc,
                "evaluation_body",
                "2019-03-01",
                "2024-02-28",
                f"{occupation.code}/{level}",
            ],
        ],
    )
    assert job.status == "done", job.errors
    assert job.summary["created"] == 2
    centre = Recognition.objects.get(number="QP2016-0031")
    assert centre.source == "import" and centre.application is None
    assert centre.holder == enterprise and centre.kind == "enterprise_training_centre"
    assert (centre.valid_from, centre.valid_until) == (
        datetime.date(2016, 9, 1),
        datetime.date(2021, 8, 31),
    )
    assert centre.granted_at.date() == datetime.date(2016, 9, 1) and centre.status == "active"
    body = Recognition.objects.get(number="PJ2019-0002")
    assert body.scope == [{"occupation": occupation.code, "level": level}]
    assert AuditEvent.objects.filter(action="accreditation.recognition_imported").count() == 2
    assert AuditEvent.objects.filter(action=f"import.{KIND}").count() == 1


def test_a_batch_with_bad_rows_changes_nothing_and_names_each_row(
    admin, enterprise, heping, occupation
):
    other = OrganisationFactory(district=heping, kinds=["enterprise"])
    Recognition.objects.create(
        number="QP2015-0001",
        holder=other,
        district=heping,
        kind="enterprise_training_centre",
        source="import",
        valid_from=datetime.date(2015, 1, 1),
        valid_until=datetime.date(2022, 1, 1),
    )
    job = run(
        admin,
        [
            [
                "QP2016-0001",
                enterprise.uscc,
                "企业培训中心",
                "2016-01-01",
                "2021-12-31",
                None,
            ],  # 2 fine
            [
                "QP2016-0001",
                enterprise.uscc,
                "企业培训中心",
                "2016-01-01",
                "2021-12-31",
                None,
            ],  # 3 dup
            [
                "QP2016-0003",
                make_uscc(),
                "企业培训中心",
                "2016-01-01",
                "2021-12-31",
                None,
            ],  # 4 unknown
            [
                "QP2016-0004",
                enterprise.uscc,
                "培训学校",
                "2016-01-01",
                "2021-12-31",
                None,
            ],  # 5 kind
            [
                "QP2016-0005",
                enterprise.uscc,
                "技能大师工作室",
                "2016-01-01",
                "2015-12-31",
                None,
            ],  # 6 dates
            [
                "QP2015-0001",
                enterprise.uscc,
                "高技能人才培训基地",
                "2016-01-01",
                "2021-12-31",
                None,
            ],  # 7
            ["QP2016-0007", other.uscc, "企业培训中心", "2016-01-01", "2021-12-31", None],  # 8 held
            [
                "PJ2016-0008",
                enterprise.uscc,
                "评价机构",
                "2016-01-01",
                "2021-12-31",
                None,
            ],  # 9 kind label
            [
                "PJ2016-0009",
                enterprise.uscc,
                "evaluation_body",
                "2016-01-01",
                "2021-12-31",
                "9-99/3",
            ],  # 10
            [
                "QP2010-0010",
                enterprise.uscc,
                "high_skill_base",
                "2010-01-01",
                "2015-12-31",
                None,
            ],  # 11 expired
        ],
    )
    assert job.status == "failed"
    rows = {e["row"] for e in job.errors}
    assert rows == {3, 4, 5, 6, 7, 8, 9, 10, 11}, job.errors
    messages = {e["row"]: e["message"] for e in job.errors}
    assert "第 2 行" in messages[3] and "已存在" in messages[7] and "已有有效" in messages[8]
    assert Recognition.objects.count() == 1
    assert not AuditEvent.objects.filter(action="accreditation.recognition_imported").exists()


def test_only_the_bureau_imports_and_the_template_downloads(client, admin, applicant, reviewer):
    client.force_login(applicant)
    assert client.get(reverse("core:import_start", args=[KIND])).status_code == 403
    client.force_login(reviewer)
    assert client.get(reverse("core:import_start", args=[KIND])).status_code == 403
    client.force_login(admin)
    assert client.get(reverse("core:import_start", args=[KIND])).status_code == 200
    response = client.get(reverse("core:import_template", args=[KIND, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.active[1]][:5] == HEADER[:5]
