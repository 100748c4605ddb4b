import datetime

import pytest
from django.contrib.auth.hashers import get_hasher
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from haihe.accounts import services
from haihe.accounts.models import ApiToken, LoginFailure, token_digest
from haihe.core import clock
from haihe.core.models import AuditEvent
from tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    bureau_admin,
    district_reviewer,
    org_admin,
    org_staff,
)

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from haihe import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


def test_argon2_hasher_works(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = bureau_admin()
    user.set_password("a long demo passphrase")
    assert user.password.startswith("argon2")
    assert get_hasher("argon2").verify("a long demo passphrase", user.password)


def test_token_is_shown_once_and_only_its_digest_is_stored(districts):
    org = OrganisationFactory(district=districts["120101"])
    admin = org_admin(org)
    token, secret = services.token_issue(actor=admin, user=admin, name="教务系统")
    assert secret.startswith("hh_") and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == token_digest(secret)
    assert secret not in {stored.digest, stored.prefix, stored.name}
    assert services.token_authenticate(secret) == admin
    assert AuditEvent.objects.filter(action="token.issued").count() == 1


def test_wrong_unknown_and_revoked_tokens_fail(districts):
    org = OrganisationFactory(district=districts["120101"])
    admin = org_admin(org)
    token, secret = services.token_issue(actor=admin, user=admin, name="x")
    assert services.token_authenticate(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert services.token_authenticate("hh_00000000_nothing") is None
    assert services.token_authenticate("not-a-token") is None
    services.token_revoke(actor=admin, token=token)
    assert services.token_authenticate(secret) is None


def test_token_management_is_scoped_to_the_organisation(districts):
    org_a = OrganisationFactory(district=districts["120101"])
    org_b = OrganisationFactory(district=districts["120101"])
    admin_a, admin_b = org_admin(org_a), org_admin(org_b)
    token, _secret = services.token_issue(actor=admin_a, user=admin_a, name="x")
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=admin_b, token=token)
    with pytest.raises(PermissionDenied):
        services.token_issue(actor=admin_b, user=admin_a, name="y")
    with pytest.raises(PermissionDenied):
        services.token_issue(actor=org_staff(org_a), user=admin_a, name="y")
    with pytest.raises(PermissionDenied):
        services.token_issue(actor=district_reviewer(districts["120101"]), user=admin_a, name="y")


def test_api_with_token_is_scoped_like_the_pages(client, districts):
    org_a = OrganisationFactory(district=districts["120101"])
    org_b = OrganisationFactory(district=districts["120101"])
    mine = PersonFactory(district=districts["120101"])
    theirs = PersonFactory(district=districts["120101"])
    AffiliationFactory(organisation=org_a, person=mine)
    AffiliationFactory(organisation=org_b, person=theirs)
    admin_a = org_admin(org_a)
    _token, secret = services.token_issue(actor=admin_a, user=admin_a, name="x")
    auth = {"Authorization": f"Bearer {secret}"}

    listing = client.get("/api/v1/registry/people", headers=auth).json()
    assert [p["id"] for p in listing["items"]] == [mine.pk]
    assert listing["items"][0]["ric"] == mine.masked_ric
    assert client.get(f"/api/v1/registry/people/{mine.pk}", headers=auth).status_code == 200
    assert client.get(f"/api/v1/registry/people/{theirs.pk}", headers=auth).status_code == 404
    orgs = client.get("/api/v1/registry/organisations", headers=auth).json()
    assert [o["id"] for o in orgs["items"]] == [org_a.pk]
    assert client.get(f"/api/v1/registry/organisations/{org_b.pk}", headers=auth).status_code == 404
    assert client.get("/api/v1/registry/people").status_code == 401
    bad = {"Authorization": "Bearer hh_deadbeef_nope"}
    assert client.get("/api/v1/registry/people", headers=bad).status_code == 401


def test_api_register_person_validates_and_audits(client, districts):
    org = OrganisationFactory(district=districts["120101"])
    admin = org_admin(org)
    _token, secret = services.token_issue(actor=admin, user=admin, name="x")
    auth = {"Authorization": f"Bearer {secret}"}
    bad = client.post(
        "/api/v1/registry/people",
        {"ric": "120101199003071230", "name": "某", "district": "120101"},
        content_type="application/json",
        headers=auth,
    )
    assert bad.status_code == 400
    assert "ric" in bad.json()["detail"] or "" in bad.json()["detail"]
    from tests.factories import make_ric

    ok = client.post(
        "/api/v1/registry/people",
        {"ric": make_ric(), "name": "某人", "district": "120101"},
        content_type="application/json",
        headers=auth,
    )
    assert ok.status_code == 202, ok.content  # an organisation's registration is received
    event = AuditEvent.objects.get(action="person.registered")
    assert event.channel == "api" and event.actor == admin


def test_openapi_document_lists_registry_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/registry/people" in doc["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn." not in docs.content and b"/static/ninja/swagger-ui" in docs.content


def test_user_creation_is_scoped_and_audited(districts):
    org = OrganisationFactory(district=districts["120101"])
    other = OrganisationFactory(district=districts["120101"])
    admin = org_admin(org)
    staff = services.user_create(
        actor=admin,
        username="staff-1",
        password="x-long-pass-1",
        role="org_staff",
        organisation=org,
    )
    assert AuditEvent.objects.filter(action="user.created", target_id=str(staff.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=admin,
            username="s2",
            password="x-long-pass-1",
            role="org_staff",
            organisation=other,
        )
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=admin, username="s3", password="x-long-pass-1", role="bureau_admin"
        )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):  # a district reviewer needs a district
        services.user_create(
            actor=bureau_admin(),
            username="s4",
            password="x-long-pass-1",
            role="district_reviewer",
        )


def test_login_is_throttled_after_repeated_failures(client, settings):
    settings.HAIHE_LOGIN_MAX_FAILURES = 3
    user = bureau_admin(username="target")
    for _ in range(3):
        response = client.post(reverse("accounts:login"), {"username": "target", "password": "no"})
        assert response.status_code == 200
    response = client.post(
        reverse("accounts:login"), {"username": "target", "password": "pw-for-tests-1"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    LoginFailure.objects.update(at=clock.real_now() - datetime.timedelta(hours=1))
    response = client.post(
        reverse("accounts:login"), {"username": "target", "password": "pw-for-tests-1"}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    assert AuditEvent.objects.filter(action="user.logged_in").count() == 1


def test_login_does_not_redirect_off_site(client):
    bureau_admin(username="u1")
    response = client.post(
        reverse("accounts:login"),
        {"username": "u1", "password": "pw-for-tests-1", "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_tokens_page_shows_secret_once(client, districts):
    org = OrganisationFactory(district=districts["120101"])
    client.force_login(org_admin(org))
    response = client.post(reverse("accounts:tokens"), {"name": "系统"})
    secret = response.context["new_secret"]
    assert secret in response.content.decode()
    assert secret not in client.get(reverse("accounts:tokens")).content.decode()
    client.force_login(org_staff(org))
    assert client.get(reverse("accounts:tokens")).status_code == 403


def test_tokens_are_visible_only_within_the_organisation(client, districts):
    org_a = OrganisationFactory(district=districts["120101"])
    org_b = OrganisationFactory(district=districts["120101"])
    admin_a, admin_b = org_admin(org_a), org_admin(org_b)
    token, _secret = services.token_issue(actor=admin_a, user=admin_a, name="甲系统")
    assert list(ApiToken.objects.visible_to(admin_a)) == [token]
    assert ApiToken.objects.visible_to(admin_b).count() == 0
    assert ApiToken.objects.visible_to(org_staff(org_a)).count() == 0
    assert list(ApiToken.objects.visible_to(bureau_admin())) == [token]
    client.force_login(admin_b)
    assert "甲系统" not in client.get(reverse("accounts:tokens")).content.decode()
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_needs_a_name(districts):
    from django.core.exceptions import ValidationError

    org = OrganisationFactory(district=districts["120101"])
    admin = org_admin(org)
    with pytest.raises(ValidationError):
        services.token_issue(actor=admin, user=admin, name="  ")
    assert not ApiToken.objects.exists()
