"""The public pages (anonymous, both languages, cached) and the bureau's pages."""

import datetime

import pytest
from django.urls import reverse

from haihe.core.models import AuditEvent
from haihe.notices import services
from haihe.notices.models import Notice, Objection
from haihe.registry.models import District
from tests.factories import OrganisationFactory, district_reviewer, org_admin
from tests.notices.conftest import ENDS_ON, object_to

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "王小明",
    "phone": "138 0013 8000",
    "email": "",
    "organisation": "",
    "grounds": "李四并非该单位在职职工，不符合推荐条件。",
    "pledge": "yes",
}


def test_the_public_list_in_both_languages(client, published):
    page = client.get(reverse("notices:list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "2020年测试评选拟入选名单公示" in text
    assert "公示中" in text and "2020-10-10" in text
    english = client.get(reverse("notices:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Open for objection" in english.content.decode()
    assert "公示中" not in english.content.decode()


def test_drafts_are_never_public(client, staff, hook, on_2020):
    draft = services.notice_create(
        actor=staff["preparer"], kind="tests.selection", title="尚未发布的草稿", body="正文"
    )
    assert "尚未发布的草稿" not in client.get(reverse("notices:list")).content.decode()
    assert client.get(reverse("notices:detail", args=[draft.pk])).status_code == 404


def test_an_unknown_filter_is_refused(client, published):
    page = client.get(reverse("notices:list"), {"state": "everything"})
    assert page.status_code == 400
    assert "everything" in page.content.decode()
    for state, shown in (("open", True), ("closed", False)):
        text = client.get(reverse("notices:list"), {"state": state}).content.decode()
        assert ("2020年测试评选" in text) is shown


def test_the_list_is_served_from_the_cache_until_a_notice_changes(
    client, published, staff, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.get(reverse("notices:list"))
    with django_assert_num_queries(0):
        assert "2020年测试评选" in client.get(reverse("notices:list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        other = services.notice_create(
            actor=staff["preparer"], kind="notices.announcement", title="第二份公示", body="正文"
        )
        services.notice_approve(actor=staff["approver"], notice=other)
    assert "第二份公示" in client.get(reverse("notices:list")).content.decode()


def test_the_detail_page_escapes_the_text_and_explains_the_period(client, staff, hook, on_2020):
    notice = services.notice_create(
        actor=staff["preparer"],
        kind="tests.selection",
        title="<script>alert(1)</script>名单",
        body='第一行\n<img src=x onerror="alert(1)">',
    )
    services.notice_approve(actor=staff["approver"], notice=notice)
    text = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "<script>alert(1)" not in text and "<img src=x" not in text
    assert "&lt;img src=x onerror=" in text
    assert "第一行<br>" in text
    assert "其间的国庆节、中秋节假期（2020-10-01至2020-10-08）不计入。" in text
    assert 'data-testid="objection-form"' in text


def test_an_objection_through_the_page(client, published):
    page = client.post(reverse("notices:object", args=[published.pk]), GOOD)
    assert page.status_code == 200
    objection = Objection.objects.get()
    assert objection.phone == "13800138000"
    text = page.content.decode()
    assert objection.reference in text
    token = text.split('data-testid="token"><code>')[1].split("</code>")[0]
    status = client.post(
        reverse("notices:objection_status"), {"reference": objection.reference, "token": token}
    )
    assert status.status_code == 200
    assert "已收到" in status.content.decode()
    wrong = client.post(
        reverse("notices:objection_status"), {"reference": objection.reference, "token": "x"}
    )
    assert wrong.status_code == 404
    assert "王小明" not in wrong.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "1234"),
        ("phone", "010-1234"),
        ("email", "a@"),
        ("organisation", "x" * 101),
        ("grounds", ""),
        ("pledge", ""),
    ],
)
def test_bad_input_on_the_form_names_the_field_and_stores_nothing(client, published, field, value):
    page = client.post(reverse("notices:object", args=[published.pk]), {**GOOD, field: value})
    assert page.status_code == 400
    text = page.content.decode()
    assert f'data-field="{field}"' in text
    assert text.count('class="error" id="err-') == 1  # only the bad field is marked
    assert Objection.objects.count() == 0
    english = client.post(
        reverse("notices:object", args=[published.pk]),
        {**GOOD, field: value},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Please correct the fields marked below" in english.content.decode()


def test_the_form_after_the_period_and_when_flooded(client, published, clock, settings):
    settings.HAIHE_OBJECTIONS_PER_ADDRESS = 1
    assert client.post(reverse("notices:object", args=[published.pk]), GOOD).status_code == 200
    flooded = client.post(reverse("notices:object", args=[published.pk]), GOOD)
    assert flooded.status_code == 429
    clock.travel(ENDS_ON + datetime.timedelta(days=1))
    closed = client.post(reverse("notices:object", args=[published.pk]), GOOD)
    assert closed.status_code == 409
    assert "公示期已结束" in closed.content.decode()
    page = client.get(reverse("notices:detail", args=[published.pk]))
    assert 'data-testid="objection-form"' not in page.content.decode()
    assert Objection.objects.count() == 1


# -- the bureau's pages --------------------------------------------------------------------


def test_the_bureau_approves_and_handles_objections_on_its_pages(client, staff, hook, on_2020):
    client.force_login(staff["preparer"])
    created = client.post(
        reverse("notices:manage_create"),
        {"kind": "notices.announcement", "title": "手工起草的公示", "body": "正文"},
    )
    notice = Notice.objects.get()
    assert created.status_code == 302
    detail = client.get(reverse("notices:manage_detail", args=[notice.pk])).content.decode()
    assert "拟稿人不能审核发布自己起草的公示。" in detail
    assert 'data-testid="action-approve"' not in detail
    client.force_login(staff["approver"])
    client.post(reverse("notices:manage_transition", args=[notice.pk, "approve"]))
    notice.refresh_from_db()
    assert notice.status == "published"
    objection, _token = object_to(notice)
    client.force_login(staff["handler"])
    page = client.get(reverse("notices:manage_objection", args=[objection.pk])).content.decode()
    assert "138****8000" in page and "13800138000" not in page
    revealed = client.post(reverse("notices:manage_objection_contact", args=[objection.pk]))
    assert "13800138000" in revealed.content.decode()
    client.post(
        reverse("notices:manage_objection_transition", args=[objection.pk, "dismiss"]),
        {"reason": "经核实，不影响公示结果。"},
    )
    objection.refresh_from_db()
    assert objection.status == "dismissed"
    listing = client.get(reverse("notices:manage")).content.decode()
    assert "0 / 0 / 1" in listing
    assert AuditEvent.objects.filter(action="objection.contact_viewed").count() == 1


def test_bad_drafts_on_the_page_name_their_fields(client, staff, hook, on_2020):
    client.force_login(staff["preparer"])
    page = client.post(
        reverse("notices:manage_create"),
        {"kind": "notices.announcement", "title": "", "body": "", "starts_on": "2020-13-01"},
    )
    assert page.status_code == 400
    assert 'data-field="starts_on"' in page.content.decode()
    page = client.post(
        reverse("notices:manage_create"), {"kind": "notices.announcement", "title": "", "body": ""}
    )
    text = page.content.decode()
    assert 'data-field="title"' in text and 'data-field="body"' in text
    assert Notice.objects.count() == 0


def test_outside_the_bureau_the_pages_are_refused(client, published, reference_data):
    objection, _token = object_to(published)
    manage = reverse("notices:manage")
    assert client.get(manage).status_code == 302  # anonymous: to the login page
    for user in (
        district_reviewer(District.objects.first()),
        org_admin(OrganisationFactory()),
    ):
        client.force_login(user)
        assert client.get(manage).status_code == 403
        assert client.get(reverse("notices:manage_detail", args=[published.pk])).status_code == 403
        assert (
            client.get(reverse("notices:manage_objection", args=[objection.pk])).status_code == 404
        )
        transition = reverse("notices:manage_objection_transition", args=[objection.pk, "dismiss"])
        assert client.post(transition, {"reason": "x"}).status_code == 404
    objection.refresh_from_db()
    assert objection.status == "received"
