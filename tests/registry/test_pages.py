"""The registry's pages: forms validate in the user's language and write through the services."""

import io

import pytest
from django.urls import reverse

from haihe.core.models import AuditEvent
from haihe.registry.models import KeyGroupMembership, Occupation, Person
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    bureau_admin,
    district_reviewer,
    make_ric,
    org_staff,
)

pytestmark = pytest.mark.django_db


def test_register_person_form(client, districts):
    org = OrganisationFactory(district=districts["120101"])
    client.force_login(org_staff(org))
    url = reverse("registry:person_register")
    bad = client.post(
        url, {"ric": "120101199003071230", "name": "张三", "district": districts["120101"].pk}
    )
    assert bad.status_code == 200 and "校验位错误" in bad.content.decode()
    assert Person.objects.count() == 0
    ok = client.post(url, {"ric": make_ric(), "name": "张三", "district": districts["120101"].pk})
    assert ok.status_code == 302 and ok["Location"] == url  # received: nothing to open
    person = Person.objects.get()
    page = client.get(url).content.decode()
    assert "登记已受理" in page and person.masked_ric in page and person.ric not in page
    client.force_login(bureau_admin())
    ric = make_ric()
    ok = client.post(url, {"ric": ric, "name": "李四", "district": districts["120101"].pk})
    detail = client.get(ok["Location"]).content.decode()  # the bureau goes to the person
    assert Person.objects.get(ric=ric).masked_ric in detail and ric not in detail


def test_english_error_messages(client, districts):
    client.force_login(bureau_admin())
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    bad = client.post(
        reverse("registry:person_register"),
        {"ric": "12345", "name": "x", "district": districts["120101"].pk},
    )
    assert "A Resident Identity Card number has 18 characters." in bad.content.decode()


def test_reveal_page_shows_full_values_and_audits(client, districts):
    person = PersonFactory(district=districts["120101"])
    client.force_login(district_reviewer(districts["120101"]))
    page = client.get(reverse("registry:person", args=[person.pk])).content.decode()
    assert person.ric not in page and person.masked_ric in page
    url = reverse("registry:person_reveal", args=[person.pk])
    refused = client.post(url)  # no purpose stated
    assert refused.status_code == 400 and person.ric not in refused.content.decode()
    shown = client.post(url, {"purpose": "subsidy_review"}).content.decode()
    assert person.ric in shown and person.mobile in shown
    event = AuditEvent.objects.get(action="person.pii_viewed")
    assert event.data == {"purpose": "subsidy_review", "note": ""}


def test_full_export_only_for_bureau_admin_and_audited(client, districts):
    person = PersonFactory(district=districts["120101"])
    client.force_login(district_reviewer(districts["120101"]))
    assert client.get(reverse("registry:people_export") + "?full=1").status_code == 403
    masked = client.get(reverse("registry:people_export")).content.decode("utf-8-sig")
    assert person.masked_ric in masked and person.ric not in masked
    client.force_login(bureau_admin())
    refused = client.get(reverse("registry:people_export") + "?full=1")  # no purpose stated
    assert refused.status_code == 302 and person.ric not in refused.content.decode()
    full = client.get(reverse("registry:people_export") + "?full=1&purpose=payment")
    assert person.ric in full.content.decode("utf-8-sig")
    event = AuditEvent.objects.get(action="person.pii_exported")
    assert event.data["purpose"] == "payment" and event.data["filters"] == {"full": "1"}


def test_key_group_form_and_void(client, districts):
    person = PersonFactory(district=districts["120101"])
    client.force_login(district_reviewer(districts["120101"]))
    url = reverse("registry:person_key_group_add", args=[person.pk])
    client.post(url, {"group": "veteran", "valid_from": "2020-01-01", "evidence": "退役证"})
    membership = KeyGroupMembership.objects.get()
    void = reverse("registry:person_key_group_void", args=[person.pk, membership.pk])
    client.post(void, {"reason": "重复登记"})
    membership.refresh_from_db()
    assert membership.voided_at is not None and membership.void_reason == "重复登记"
    client.force_login(district_reviewer(districts["120103"]))
    assert (
        client.post(
            url, {"group": "veteran", "valid_from": "2020-01-01", "evidence": "x"}
        ).status_code
        == 404
    )


def test_occupation_catalogue_upload_is_all_or_nothing(client, reference_data):
    client.force_login(bureau_admin())
    bad = io.BytesIO("code,name_zh,name_en,levels\n1-2-3,坏,Bad,5\n".encode())
    bad.name = "c.csv"
    page = client.post(reverse("registry:occupations"), {"file": bad})
    assert "X-XX-XX-XX" in page.content.decode()
    assert Occupation.objects.filter(active=True).count() == 40
    good = io.BytesIO("code,name_zh,name_en,levels\n6-31-01-03,电工,Electrician,5;4\n".encode())
    good.name = "c.csv"
    assert client.post(reverse("registry:occupations"), {"file": good}).status_code == 302
    assert Occupation.objects.filter(active=True).count() == 1
    from haihe.registry.models import District

    client.force_login(district_reviewer(District.objects.first()))
    page = client.get(reverse("registry:occupations")).content.decode()
    assert 'type="file"' not in page
