"""Supervisor pages: who sees what (negative cases first), and the flag queue's actions."""

import pytest
from django.urls import reverse

from haihe.core.models import AuditEvent
from haihe.supervision.models import Flag, FlagStatus
from tests.factories import (
    OrganisationFactory,
    bureau_admin,
    district_reviewer,
    municipal_reviewer,
    org_admin,
    worker,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(world):
    """A trainee of a Heping class on platform 1 with a face-check flag and a counted session."""
    world.register(world.person)
    world.session(world.at(9), world.at(10))
    world.session(world.at(11), world.at(12), checks=[])
    return Flag.objects.get(kind="face_check")


def get(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(f"supervision:{name}", args=args), query)


def test_bureau_sees_every_page(client, world, flagged):
    user = bureau_admin()
    assert get(client, user, "index").status_code == 200
    page = get(client, user, "platform", world.platform.pk)
    assert page.status_code == 200
    assert world.platform.name in page.content.decode()
    assert get(client, user, "class", world.klass.pk).status_code == 200
    response = get(client, user, "enrolment", world.enrolment.pk)
    assert response.status_code == 200
    body = response.content.decode()
    assert "1.00" in body
    assert "人脸核验" in body
    assert get(client, user, "flags").status_code == 200
    assert get(client, user, "flag", flagged.pk).status_code == 200


def test_worker_and_anonymous_are_refused(client, world, flagged):
    assert client.get(reverse("supervision:flags")).status_code == 302
    assert get(client, worker(world.person), "flags").status_code == 403
    assert get(client, worker(world.person), "enrolment", world.enrolment.pk).status_code == 403


def test_non_platform_organisation_is_refused(client, world, flagged):
    assert get(client, org_admin(world.institution), "index").status_code == 403
    assert get(client, org_admin(world.institution), "flags").status_code == 403


def test_platform_sees_only_its_own_platform(client, world, flagged):
    own = org_admin(world.platform)
    assert get(client, own, "index").status_code == 302
    assert get(client, own, "platform", world.platform.pk).status_code == 200
    assert get(client, own, "flag", flagged.pk).status_code == 200
    other = org_admin(world.platform2)
    assert get(client, other, "platform", world.platform.pk).status_code == 404
    assert get(client, other, "class", world.klass.pk).status_code == 404
    assert get(client, other, "enrolment", world.enrolment.pk).status_code == 404
    assert get(client, other, "flag", flagged.pk).status_code == 404
    assert flagged.pk not in [f.pk for f in get(client, other, "flags").context["page"]]


def test_district_reviewer_sees_only_their_districts_classes(client, world, flagged):
    own = district_reviewer(world.heping)
    assert get(client, own, "class", world.klass.pk).status_code == 200
    assert get(client, own, "enrolment", world.enrolment.pk).status_code == 200
    assert get(client, own, "flag", flagged.pk).status_code == 200
    other = district_reviewer(world.hexi)
    assert get(client, other, "class", world.klass.pk).status_code == 404
    assert get(client, other, "enrolment", world.enrolment.pk).status_code == 404
    assert get(client, other, "flag", flagged.pk).status_code == 404
    assert get(client, other, "platform", world.platform.pk).status_code == 404
    assert list(get(client, other, "flags").context["page"]) == []


def close(client, user, flag, action, reason="已核实"):
    client.force_login(user)
    return client.post(
        reverse("supervision:flag_close", args=[flag.pk]), {"action": action, "reason": reason}
    )


def test_district_reviewer_resolves_with_a_reason_and_it_is_audited(client, world, flagged):
    user = district_reviewer(world.heping)
    response = close(client, user, flagged, "resolve", "平台已整改")
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.status == FlagStatus.RESOLVED
    assert flagged.closed_by == user and flagged.close_reason == "平台已整改"
    event = AuditEvent.objects.get(action="supervision_flag.resolve")
    assert event.data["reason"] == "平台已整改" and event.actor == user


def test_municipal_reviewer_dismisses(client, world, flagged):
    assert (
        close(client, municipal_reviewer(), flagged, "dismiss", "设备故障已核实").status_code == 302
    )
    flagged.refresh_from_db()
    assert flagged.status == FlagStatus.DISMISSED
    assert AuditEvent.objects.filter(action="supervision_flag.dismiss").count() == 1


def test_closing_needs_a_reason(client, world, flagged):
    response = close(client, bureau_admin(), flagged, "resolve", "  ")
    assert response.status_code == 200
    assert "请填写理由" in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.status == FlagStatus.OPEN


def test_platform_cannot_close_its_own_flag(client, world, flagged):
    assert close(client, org_admin(world.platform), flagged, "dismiss").status_code == 403
    flagged.refresh_from_db()
    assert flagged.status == FlagStatus.OPEN


def test_other_district_cannot_close(client, world, flagged):
    assert close(client, district_reviewer(world.hexi), flagged, "resolve").status_code == 404
    flagged.refresh_from_db()
    assert flagged.status == FlagStatus.OPEN


def test_closed_flag_cannot_be_closed_again(client, world, flagged):
    user = bureau_admin()
    close(client, user, flagged, "resolve")
    response = close(client, user, flagged, "dismiss")
    assert response.status_code == 200
    flagged.refresh_from_db()
    assert flagged.status == FlagStatus.RESOLVED


def test_unknown_action_changes_nothing(client, world, flagged):
    response = close(client, bureau_admin(), flagged, "delete")
    assert response.status_code == 200
    flagged.refresh_from_db()
    assert flagged.status == FlagStatus.OPEN


def test_resolved_flag_stays_resolved_when_recomputed(world, flagged):
    from haihe.supervision import services

    services.flag_close(actor=bureau_admin(), flag=flagged, action="resolve", reason="ok")
    services.recompute_all()
    flagged.refresh_from_db()
    assert flagged.status == FlagStatus.RESOLVED


def test_scoping_querysets_directly(world, flagged):
    from haihe.supervision.models import LearningSession, VerifiedHours

    stranger = org_admin(OrganisationFactory(district=world.hexi))
    for model in (Flag, LearningSession, VerifiedHours):
        assert not model.objects.visible_to(stranger).exists()
        assert not model.objects.visible_to(district_reviewer(world.hexi)).exists()
        assert model.objects.visible_to(district_reviewer(world.heping)).exists()
        assert not model.objects.visible_to(None).exists()


def test_pages_and_explanations_in_english(client, world, flagged):
    from django.utils import translation

    user = bureau_admin()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        body = client.get(
            reverse("supervision:enrolment", args=[world.enrolment.pk]),
            headers={"accept-language": "en"},
        ).content.decode()
        assert "No successful face check within 5 minutes of the start" in body
        assert flagged.reason.message.startswith("No successful face check")
