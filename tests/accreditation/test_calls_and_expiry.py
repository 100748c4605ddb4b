"""The bureau's call form (a draft it then publishes) and the daily expiry step (a management
command and a task, like notices-finalise)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from haihe.accreditation.models import Call, Recognition
from haihe.core.models import AuditEvent
from tests.accreditation.conftest import grant

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "master_studio",
    "year": "2020",
    "round": "1",
    "title": "2020年度技能大师工作室申报通知",
    "opens_on": "2020-06-01",
    "closes_on": "2020-07-31",
    "required_evidence": ["business_licence", "leader_certificate"],
    "quotas": "120101: 2\n120103：1",
    "description": "各区人社局初审后报送。",
}


def test_the_bureau_creates_a_call_then_publishes_it(client, admin):
    client.force_login(admin)
    assert client.get(reverse("accreditation:call-new")).status_code == 200
    response = client.post(reverse("accreditation:call-new"), FORM)
    call = Call.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "accreditation:call", args=[call.pk]
    )
    assert call.status == "draft" and call.kind == "master_studio"
    assert call.required_evidence == ["business_licence", "leader_certificate"]
    assert call.quotas == {"120101": 2, "120103": 1}
    assert AuditEvent.objects.filter(action="accreditation.call_created").exists()
    client.post(reverse("accreditation:call", args=[call.pk]), {"action": "open"})
    call.refresh_from_db()
    assert call.status == "open"


def test_bad_call_input_is_refused_naming_the_field_and_nothing_is_saved(client, admin):
    client.force_login(admin)
    bad = {**FORM, "closes_on": "2020-05-01", "quotas": "999999: 2"}
    response = client.post(reverse("accreditation:call-new"), bad)
    assert response.status_code == 400
    text = response.content.decode()
    assert "closes_on" in text and "quotas" in text
    assert not Call.objects.exists()


def test_only_the_bureau_admin_creates_calls(client, applicant, reviewer, municipal):
    for user in (applicant, reviewer, municipal):
        client.force_login(user)
        assert client.get(reverse("accreditation:call-new")).status_code == 403
        assert client.post(reverse("accreditation:call-new"), FORM).status_code == 403
    assert not Call.objects.exists()


def test_the_daily_expiry_command_and_task(admin, enterprise, clock):
    from haihe.accreditation.tasks import expire_due_recognitions

    recognition = grant(
        admin, enterprise, "enterprise_training_centre", trainers=8, area=500, workstations=40
    )
    out = StringIO()
    call_command("accreditation-expire", stdout=out)
    assert "0 recognitions expired" in out.getvalue()
    clock.travel(recognition.valid_until + datetime.timedelta(days=1))
    assert expire_due_recognitions.call() == {"expired": 1}
    recognition.refresh_from_db()
    assert recognition.status == "expired"
    call_command("accreditation-expire", stdout=out)
    assert Recognition.objects.filter(status="expired").count() == 1
