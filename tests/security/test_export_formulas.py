"""Issue 9, item 4: no export keeps a spreadsheet formula.

Each payload is stored where a person, an organisation or an audit event keeps free text, and
comes out of each export (people, organisations and audit CSVs, the bank file in CSV and xlsx,
the import templates): a CSV cell starts with an apostrophe; an xlsx has no formula cell and
every text cell is neutralised the same way."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from haihe.core.audit import log_action
from haihe.core.exports import csv_cell, neutralise
from haihe.subsidies import payments
from haihe.subsidies import services as subsidy_services
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    bureau_admin,
    district_reviewer,
    municipal_reviewer,
    org_admin,
)
from tests.subsidies import factories as sf

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://x","y")',
    " =1+1",  # after leading whitespace
    "\u3000@SUM(A1)",  # after an ideographic space
]


def rows_of(response) -> list[list[str]]:
    body = b"".join(response) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def assert_csv_neutralised(rows: list[list[str]], payload: str) -> None:
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(payload) for cell in cells), cells
    assert any(cell.startswith("'" + payload) for cell in cells), cells
    for cell in cells:
        assert not cell.lstrip().startswith(("=", "+", "-", "@")), cell
        assert not cell.startswith(("\t", "\r")), cell


@pytest.mark.parametrize("payload", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " -2"])
def test_the_neutraliser_prefixes_every_trigger(payload):
    assert neutralise(payload) == "'" + payload
    assert neutralise(neutralise(payload)) == "'" + payload  # once only


@pytest.mark.parametrize("safe", ["张伟", "A=1", "1-2", "", None, "'=quoted"])
def test_the_neutraliser_leaves_plain_text(safe):
    assert neutralise(safe) == ("" if safe is None else safe)


def test_numbers_stay_numbers():
    assert csv_cell(Decimal("-5.00")) == Decimal("-5.00")
    assert csv_cell(3) == 3
    assert csv_cell(True) == "True"
    assert csv_cell(datetime.date(2020, 1, 2)) == "2020-01-02"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_people_export_masked_and_full(client, districts, payload):
    PersonFactory(district=districts["120101"], name=payload)
    client.force_login(district_reviewer(districts["120101"]))
    assert_csv_neutralised(rows_of(client.get(reverse("registry:people_export"))), payload)
    client.force_login(bureau_admin())
    full = client.get(
        reverse("registry:people_export"), {"full": "1", "purpose": "other", "note": "x"}
    )
    assert full.status_code == 200
    assert_csv_neutralised(rows_of(full), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_organisations_export(client, districts, payload):
    OrganisationFactory(district=districts["120101"], name=payload)
    client.force_login(bureau_admin())
    response = client.get(reverse("registry:organisations_export"))
    assert_csv_neutralised(rows_of(response), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_audit_export(client, districts, payload):
    admin = bureau_admin()
    person = PersonFactory(district=districts["120101"], name=payload)
    log_action(actor=admin, action="person.updated", target=person, data={"name": payload})
    client.force_login(admin)
    response = client.get(reverse("core:audit_export"))
    assert_csv_neutralised(rows_of(response), payload)


def _bank_batch(districts, payload):
    heping = districts["120101"]
    org = sf.institution(heping)
    filer = org_admin(org)
    klass, _outcomes = sf.class_with_outcomes(org, n=1)
    day = datetime.date(2020, 5, 1)
    claim = subsidy_services.claim_create(actor=filer, training_class=klass, today=day)
    subsidy_services.claim_submit(actor=filer, claim=claim, today=day)
    subsidy_services.claim_review(actor=district_reviewer(heping), claim=claim, decision="approve")
    subsidy_services.claim_review(actor=municipal_reviewer(), claim=claim, decision="approve")
    claim.refresh_from_db()
    org.name = payload
    org.bank_name = payload
    org.save()
    admin = bureau_admin()
    batch = payments.batch_create(actor=admin, claims=[claim])
    return admin, batch, claim


@pytest.mark.parametrize("payload", PAYLOADS)
def test_bank_file_csv(districts, payload):
    admin, batch, claim = _bank_batch(districts, payload)
    data = payments.batch_export(actor=admin, batch=batch, fmt="csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert_csv_neutralised(rows, payload)
    assert rows[1][0] == "'" + payload  # the payee
    assert Decimal(rows[1][4]) == claim.approved_amount  # the amount stays exact


def assert_xlsx_neutralised(data: bytes, payload: str | None) -> list:
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert cells
    for cell in cells:
        assert cell.data_type != "f", cell.coordinate
        if isinstance(cell.value, str):
            assert cell.data_type == "s", cell.coordinate
            assert not cell.value.lstrip().startswith(("=", "+", "-", "@")), cell.value
            assert not cell.value.startswith(("\t", "\r")), cell.value
    if payload is not None:  # (XML reads a carriage return back as a line feed)
        expected = {"'" + payload, "'" + payload.replace("\r", "\n")}
        assert any(cell.value in expected for cell in cells)
    return cells


@pytest.mark.parametrize("payload", PAYLOADS)
def test_bank_file_xlsx(districts, payload):
    admin, batch, claim = _bank_batch(districts, payload)
    data = payments.batch_export(actor=admin, batch=batch, fmt="xlsx")
    assert_xlsx_neutralised(data, payload)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert (
        sheet.cell(2, 1).value.replace("\n", "\r") == "'" + payload
    )  # payee: a string, not a formula
    assert sheet.cell(2, 5).data_type == "n"  # the amount is kept a number
    assert Decimal(str(sheet.cell(2, 5).value)) == claim.approved_amount
    assert sheet.cell(2, 4).data_type == "s"  # the account number stays text


@pytest.mark.parametrize(
    "kind", ["people", "organisations", "training-enrolments", "training-attendance"]
)
def test_import_templates_hold_no_formula(client, districts, kind):
    client.force_login(bureau_admin())
    xlsx = client.get(reverse("core:import_template", args=[kind, "xlsx"]))
    assert xlsx.status_code == 200
    assert_xlsx_neutralised(xlsx.content, None)
    rows = rows_of(client.get(reverse("core:import_template", args=[kind, "csv"])))
    assert rows and all(
        not cell.lstrip().startswith(("=", "+", "-", "@")) for r in rows for cell in r
    )
