"""The pages: applicant's form with its live explanation, the detail with evidence and the
review form, 404 outside one's scope, the public register and its exports."""

import io

import openpyxl
from django.urls import reverse

from tests.accreditation.conftest import attach_kind, good_centre, grant
from tests.factories import OrganisationFactory, org_admin


def test_the_applicant_sees_open_calls_and_a_live_explanation(client, applicant, centre_call):
    client.force_login(applicant)
    page = client.get(reverse("accreditation:calls")).content.decode()
    assert centre_call.title in page
    form = client.get(reverse("accreditation:apply", args=[centre_call.pk]))
    assert form.status_code == 200
    explained = client.post(
        reverse("accreditation:eligibility", args=[centre_call.pk]), {"trainers": "2"}
    ).content.decode()
    assert "至少应有 5 名" in explained
    response = client.post(
        reverse("accreditation:apply", args=[centre_call.pk]), {"trainers": "8", "area": "500"}
    )
    assert response.status_code == 302
    detail = client.get(response.url).content.decode()
    assert "营业执照" in detail and 'data-testid="submit-application"' in detail


def test_an_applicant_gets_404_for_another_organisations_application(
    client, applicant, heping, centre_call
):
    application = good_centre(applicant, centre_call)
    client.force_login(org_admin(OrganisationFactory(district=heping, kinds=["enterprise"])))
    url = reverse("accreditation:application", args=[application.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("accreditation:application-submit", args=[application.pk])).status_code
        == 404
    )


def test_the_district_reviewer_decides_from_the_queue(client, applicant, reviewer, centre_call):
    application = good_centre(applicant, centre_call)
    attach_kind(applicant, application)
    client.force_login(applicant)
    client.post(reverse("accreditation:application-submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "submitted"
    client.force_login(reviewer)
    assert application.number in client.get(reverse("accreditation:queue")).content.decode()
    client.post(
        reverse("accreditation:application-decide", args=[application.pk]),
        {"decision": "return", "reason": "缺少场地证明"},
    )
    application.refresh_from_db()
    assert application.status == "returned"


def test_the_public_register_lists_and_exports_without_sign_in(client, admin, heping):
    firm = OrganisationFactory(
        district=heping, kinds=["enterprise"], name="天津测试培训中心有限公司"
    )
    recognition = grant(admin, firm, "enterprise_training_centre", trainers=8, area=500)
    page = client.get(reverse("accreditation:register")).content.decode()
    assert recognition.number in page and firm.name in page
    csv = client.get(
        reverse("accreditation:register-export", args=["enterprise_training_centre", "csv"])
    ).content.decode("utf-8-sig")
    assert recognition.number in csv
    xlsx = client.get(
        reverse("accreditation:register-export", args=["enterprise_training_centre", "xlsx"])
    ).content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert sheet.cell(2, 1).value == recognition.number
    assert client.get(reverse("accreditation:register-kind", args=["nope"])).status_code == 404


def test_the_bureau_suspends_from_the_recognition_page(client, admin, heping):
    firm = OrganisationFactory(district=heping, kinds=["enterprise"])
    recognition = grant(admin, firm, "enterprise_training_centre", trainers=8, area=500)
    client.force_login(org_admin(firm))
    url = reverse("accreditation:recognition-status", args=[recognition.pk])
    assert client.post(url, {"action": "suspend", "reason": "x"}).status_code == 403
    client.force_login(admin)
    client.post(url, {"action": "suspend", "reason": "年度报告逾期"})
    recognition.refresh_from_db()
    assert recognition.status == "suspended"
