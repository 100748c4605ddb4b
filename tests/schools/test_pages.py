"""The pages: a school files, attaches and submits; the district and the bureau decide from
their queue; the register is public with its CSV and xlsx exports; the pay calculator refuses an
over-cap amount with the explanation (the bureau also sees the parameter key)."""

import io
from decimal import Decimal

import openpyxl
import pytest

from haihe.schools import services
from haihe.schools.models import Major, PayPlan
from tests.schools import factories as f

pytestmark = pytest.mark.django_db


def test_a_school_applies_for_a_major_through_the_pages(client, filer, district_user):
    client.force_login(filer)
    assert client.get("/schools/majors/new/").status_code == 200
    response = client.post(
        "/schools/majors/new/",
        {**f.major_data(), "occupation": "6-30-99-00", "industry": "intelligent_technology"},
    )
    major = Major.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/schools/majors/{major.pk}/"
    page = client.get(response["Location"])
    assert "专业人才培养方案" in page.content.decode()
    client.post(f"/schools/majors/{major.pk}/submit/")
    assert Major.objects.get().status == "draft"  # the plan is missing: refused, shown
    f.attach(filer, major, "programme_plan")
    client.post(f"/schools/majors/{major.pk}/submit/")
    assert Major.objects.get().status == "submitted"
    client.force_login(district_user)
    queue = client.get("/schools/queue/")
    assert major.number in queue.content.decode()
    detail = client.get(f"/schools/majors/{major.pk}/")
    assert b'data-testid="review-submit"' in detail.content
    client.post(f"/schools/majors/{major.pk}/decide/", {"decision": "return"})
    assert Major.objects.get().status == "submitted"  # a return needs its reason
    client.post(f"/schools/majors/{major.pk}/decide/", {"decision": "approve"})
    assert Major.objects.get().status == "district_approved"


def test_a_level_the_occupation_lacks_is_shown_on_the_form(client, filer):
    client.force_login(filer)
    response = client.post(
        "/schools/majors/new/",
        f.major_data(occupation="4-10-01-02", level="pre_technician"),
    )
    assert response.status_code == 200
    assert "没有预备技师（技师）对应的国家职业技能等级" in response.content.decode()
    assert not Major.objects.exists()


def test_the_register_is_public_and_exports(client, filer, district_user, municipal_user):
    major = f.submitted_major(filer)
    services.major_decide(actor=district_user, major=major, decision="approve")
    services.major_decide(actor=municipal_user, major=major, decision="approve")
    f.submitted_major(filer, occupation="6-31-01-03", name="电气自动化")  # not yet approved
    page = client.get("/schools/register/", {"year": 2026})
    assert page.status_code == 200
    text = page.content.decode()
    assert "工业机器人应用与维护" in text and "电气自动化" not in text
    assert client.get("/schools/register/", {"level": "ghost"}).status_code == 400
    csv = client.get("/schools/register/export.csv")
    assert csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode("utf-8-sig")
    assert major.number in body and "预备技师（技师）" in body
    xlsx = client.get("/schools/register/export.xlsx", {"district": "120101"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and rows[1][0] == major.number and len(rows) == 2
    assert client.get("/schools/register/export.xlsx", {"year": "x"}).status_code == 400
    assert client.get("/schools/register/export.pdf").status_code == 404


def test_the_pay_calculator_refuses_over_the_cap_and_explains(
    client, filer, partner, district_user, municipal_user
):
    f.approved_agreement(filer, partner, district_user, municipal_user)
    client.force_login(filer)
    data = {
        "year": 2026,
        "staff_count": 10,
        "current_total": "2000000",
        "proposed_increase": "1500000",
        "base_percent": 60,
        "save": "1",
    }
    response = client.post("/schools/pay/new/", data)
    text = response.content.decode()
    assert response.status_code == 400
    assert "超过了上限 1,400,000.00 元" in text
    assert "2020-01-01" in text  # the income figure's date
    assert "schools.civil_servant_comparable_income" not in text  # a school reads words
    assert not PayPlan.objects.exists()
    response = client.post("/schools/pay/new/", {**data, "proposed_increase": "1400000"})
    plan = PayPlan.objects.get()
    assert response["Location"] == f"/schools/pay/{plan.pk}/"
    client.post(f"/schools/pay/{plan.pk}/submit/")
    client.force_login(municipal_user)
    page = client.get(f"/schools/pay/{plan.pk}/").content.decode()
    assert "schools.civil_servant_comparable_income" in page  # the bureau sees the key
    assert plan.number in client.get("/schools/queue/").content.decode()
    client.post(f"/schools/pay/{plan.pk}/decide/", {"decision": "approve"})
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.proposed_increase == Decimal("1400000.00")


def test_pages_refuse_who_may_not(client, partner_user, district_user, filer):
    client.force_login(partner_user)
    assert client.get("/schools/majors/").status_code == 403
    assert client.get("/schools/majors/new/").status_code == 403
    assert client.get("/schools/pay/").status_code == 403
    assert client.get("/schools/queue/").status_code == 403
    assert client.get("/schools/agreements/").status_code == 200  # its own agreements
    client.force_login(district_user)
    assert client.get("/schools/pay/new/").status_code == 403
    client.force_login(filer)
    for url in ("/schools/majors/", "/schools/agreements/", "/schools/pay/", "/schools/pay/new/"):
        assert client.get(url).status_code == 200, url


def test_pages_in_english(client, filer):
    client.force_login(filer)
    major = services.major_create(actor=filer, data=f.major_data())
    page = client.get(f"/schools/majors/{major.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "Pre-technician" in text


def test_the_figures_count_majors_approved_in_the_year_by_district_and_month(
    filer, district_user, municipal_user, clock
):
    from haihe.core.figures import FIGURES

    major = f.submitted_major(filer)
    services.major_decide(actor=district_user, major=major, decision="approve")
    services.major_decide(actor=municipal_user, major=major, decision="approve")
    f.submitted_major(filer, occupation="6-31-01-03", level="senior", name="电气自动化")
    new = FIGURES["technical_school_new_majors"]
    pre = FIGURES["technical_school_new_pre_technician_majors"]
    assert new.compute(clock.today) == 1 and pre.compute(clock.today) == 1
    assert new.by_district(clock.today)["120101"] == 1
    assert new.by_month(clock.today)["2026-06"] == 1
    import datetime

    assert new.compute(datetime.date(2027, 3, 1)) == 0  # new in its year only
