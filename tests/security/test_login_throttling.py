"""Issue 9, item 6: login throttling slows the client that guesses, never locks the account
for everyone; the client is the socket's peer unless trusted proxies say otherwise; sustained
failures for one account from several clients alert the bureau, once per episode."""

import datetime
import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from haihe.accounts import services
from haihe.accounts.models import LoginFailure, SecurityAlert
from haihe.core import clock
from haihe.core.env import env_networks
from haihe.core.models import AuditEvent
from haihe.core.network import client_address
from tests.factories import OrganisationFactory, bureau_admin, municipal_reviewer, org_admin

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"
ATTACKER, OWNER, OTHER = "203.0.113.66", "198.51.100.7", "192.0.2.44"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.HAIHE_LOGIN_MAX_FAILURES = 5
    settings.HAIHE_LOGIN_CLIENT_MAX_FAILURES = 20
    settings.HAIHE_LOGIN_LOCKOUT_SECONDS = 900
    settings.HAIHE_LOGIN_ALERT_FAILURES = 20
    settings.HAIHE_LOGIN_ALERT_CLIENTS = 3
    settings.HAIHE_LOGIN_ALERT_WINDOW_SECONDS = 3600
    settings.HAIHE_TRUSTED_PROXIES = []


def attempt(client, username, password, address, **headers):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_an_attackers_failures_do_not_lock_the_owner_out(client):
    bureau_admin(username="chief")
    for _ in range(5):
        assert attempt(client, "chief", "guess", ATTACKER).status_code == 200
    response = attempt(client, "chief", PASSWORD, OWNER)
    assert response.status_code == 302 and signed_in(client)


def test_the_failing_client_is_throttled_for_that_account(client):
    bureau_admin(username="chief")
    bureau_admin(username="deputy")
    for _ in range(5):
        attempt(client, "chief", "guess", ATTACKER)
    response = attempt(client, "chief", PASSWORD, ATTACKER)
    assert response.status_code == 429 and not signed_in(client)
    assert "登录失败次数过多" in response.content.decode()
    # the pair is throttled, not the client: it may still sign in to another account
    assert attempt(client, "deputy", PASSWORD, ATTACKER).status_code == 302


def test_the_window_is_real_time(client):
    bureau_admin(username="chief")
    for _ in range(5):
        attempt(client, "chief", "guess", ATTACKER)
    assert attempt(client, "chief", PASSWORD, ATTACKER).status_code == 429
    LoginFailure.objects.update(at=clock.real_now() - datetime.timedelta(seconds=901))
    assert attempt(client, "chief", PASSWORD, ATTACKER).status_code == 302


def test_a_client_failing_across_many_accounts_is_throttled(client):
    bureau_admin(username="chief")
    for n in range(20):
        attempt(client, f"someone{n}", "guess", ATTACKER)
    assert attempt(client, "chief", PASSWORD, ATTACKER).status_code == 429
    assert not signed_in(client)
    assert attempt(client, "chief", PASSWORD, OTHER).status_code == 302


def test_success_forgets_only_that_clients_failures(client):
    bureau_admin(username="chief")
    for _ in range(4):
        attempt(client, "chief", "guess", ATTACKER)
        attempt(client, "chief", "typo", OWNER)
    assert attempt(client, "chief", PASSWORD, OWNER).status_code == 302
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {ATTACKER}
    client.logout()
    attempt(client, "chief", "guess", ATTACKER)
    assert attempt(client, "chief", PASSWORD, ATTACKER).status_code == 429


def test_api_tokens_are_not_affected_by_login_throttling(client):
    admin = org_admin(OrganisationFactory(), username="integrator")
    _token, secret = services.token_issue(actor=admin, user=admin, name="系统")
    for _ in range(30):
        attempt(client, "integrator", "guess", ATTACKER, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert attempt(client, "integrator", PASSWORD, ATTACKER).status_code == 429
    response = client.get(
        "/api/v1/registry/organisations",
        headers={"Authorization": f"Bearer {secret}"},
        REMOTE_ADDR=ATTACKER,
    )
    assert response.status_code == 200


# ----- the client's address ------------------------------------------------------------------


def request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_x_forwarded_for_is_ignored_without_trusted_proxies(client):
    assert client_address(request("10.0.0.5", f"{OWNER}, {ATTACKER}")) == "10.0.0.5"
    bureau_admin(username="chief")
    for n in range(5):  # an attacker rotating a forged header is still one client
        attempt(client, "chief", "guess", ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {ATTACKER}
    forged = attempt(client, "chief", PASSWORD, ATTACKER, HTTP_X_FORWARDED_FOR=OWNER)
    assert forged.status_code == 429


def test_x_forwarded_for_is_honoured_right_most_untrusted_with_trusted_proxies(settings):
    settings.HAIHE_TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::1"]
    # the client prepends a lie; our proxies appended the truth on the right
    chain = f"{OWNER}, {ATTACKER}, 10.1.2.3"
    assert client_address(request("10.0.0.5", chain)) == ATTACKER
    assert client_address(request("2001:db8::1", f"{OWNER}")) == OWNER
    assert client_address(request("10.0.0.5", f"{OWNER}, 2001:DB8::2")) == "2001:db8::2"
    # a request that did not come through a trusted proxy: the header is not believed
    assert client_address(request(OTHER, OWNER)) == OTHER
    # nothing forwarded, or garbage where our proxy should have written: the last good hop
    assert client_address(request("10.0.0.5")) == "10.0.0.5"
    assert client_address(request("10.0.0.5", "not-an-address, 10.9.9.9")) == "10.9.9.9"
    assert client_address(request("::ffff:10.0.0.5", ATTACKER)) == ATTACKER


def test_behind_the_proxy_each_client_is_throttled_on_its_own(client, settings):
    settings.HAIHE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    bureau_admin(username="chief")
    proxy = "10.0.0.5"
    for _ in range(5):
        attempt(client, "chief", "guess", proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert attempt(client, "chief", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ATTACKER).status_code == (
        429
    )
    response = attempt(client, "chief", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=OWNER)
    assert response.status_code == 302 and signed_in(client)


def test_trusted_proxies_setting_fails_loudly_on_a_bad_value(monkeypatch):
    monkeypatch.setenv("HAIHE_TRUSTED_PROXIES", "10.0.0.0/8, proxy.example")
    with pytest.raises(ImproperlyConfigured, match=r"proxy\.example"):
        env_networks("HAIHE_TRUSTED_PROXIES", [])
    monkeypatch.setenv("HAIHE_TRUSTED_PROXIES", "10.0.0.0/8, ::1")
    assert env_networks("HAIHE_TRUSTED_PROXIES", []) == ["10.0.0.0/8", "::1"]


# ----- the alert ---------------------------------------------------------------------------


def test_sustained_failures_from_several_clients_raise_one_alert(client, settings, caplog):
    settings.HAIHE_LOGIN_ALERT_FAILURES = 8
    chief = bureau_admin(username="chief")
    clients = [f"203.0.113.{n}" for n in range(1, 5)]
    with caplog.at_level(logging.WARNING, logger="haihe.security"):
        for address in clients[:2]:  # 10 failures from 2 clients: not yet "several"
            for _ in range(5):
                attempt(client, "chief", "guess", address)
        assert not SecurityAlert.objects.exists()
        for address in clients[2:]:
            for _ in range(5):
                attempt(client, "chief", "guess", address)
    alert = SecurityAlert.objects.get()
    assert alert.user == chief and alert.kind == SecurityAlert.Kind.LOGIN_FAILURES
    assert alert.clients == 4 and alert.addresses == sorted(clients)
    assert alert.failures == 20  # every failure of the episode, from the 11th that raised it
    assert AuditEvent.objects.filter(action="security.login_alert").count() == 1
    warnings = [r for r in caplog.records if r.name == "haihe.security"]
    assert len(warnings) == 1 and "chief" in warnings[0].getMessage()


def test_the_alert_counts_the_episode_and_a_new_episode_raises_a_new_alert(client, settings):
    settings.HAIHE_LOGIN_ALERT_FAILURES = 6
    bureau_admin(username="chief")
    for n in range(1, 4):
        for _ in range(2):
            attempt(client, "chief", "guess", f"203.0.113.{n}")
    alert = SecurityAlert.objects.get()
    assert (alert.failures, alert.clients) == (6, 3)
    attempt(client, "chief", "guess", "203.0.113.9")
    alert.refresh_from_db()
    assert (alert.failures, alert.clients) == (7, 4)
    assert SecurityAlert.objects.count() == 1
    # an hour and more of quiet: the next sustained burst is a new episode
    past = clock.real_now() - datetime.timedelta(seconds=3601)
    LoginFailure.objects.update(at=past)
    SecurityAlert.objects.update(first_seen_at=past, last_seen_at=past)
    for n in range(1, 4):
        for _ in range(2):
            attempt(client, "chief", "guess", f"198.51.100.{n}")
    assert SecurityAlert.objects.count() == 2
    assert AuditEvent.objects.filter(action="security.login_alert").count() == 2


def test_many_failures_from_one_client_or_for_unknown_accounts_raise_no_alert(client, settings):
    settings.HAIHE_LOGIN_ALERT_FAILURES = 6
    settings.HAIHE_LOGIN_MAX_FAILURES = 50
    bureau_admin(username="chief")
    for _ in range(30):
        attempt(client, "chief", "guess", ATTACKER)
    for n in range(1, 5):
        for _ in range(3):
            attempt(client, "nobody", "guess", f"203.0.113.{n}")
    assert not SecurityAlert.objects.exists()


def test_the_bureau_admin_sees_and_acknowledges_alerts_from_the_navigation(client, settings):
    settings.HAIHE_LOGIN_ALERT_FAILURES = 6
    bureau_admin(username="chief")
    for n in range(1, 4):
        for _ in range(2):
            attempt(client, "chief", "guess", f"203.0.113.{n}")
    alert = SecurityAlert.objects.get()
    admin = bureau_admin(username="security-officer")
    client.force_login(admin)
    url = reverse("accounts:security_alerts")
    nav = [
        item["url"] for item in client.get(reverse("core:home"), follow=True).context["nav_items"]
    ]
    assert url in nav
    page = client.get(url)
    assert page.status_code == 200
    assert "chief" in page.content.decode() and "203.0.113.3" in page.content.decode()
    client.post(reverse("accounts:security_alert_acknowledge", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.acknowledged_by == admin and alert.acknowledged_at is not None
    assert AuditEvent.objects.filter(action="security.alert_acknowledged").count() == 1


def test_only_the_bureau_admin_sees_alerts(client, settings):
    settings.HAIHE_LOGIN_ALERT_FAILURES = 6
    bureau_admin(username="chief")
    for n in range(1, 4):
        for _ in range(2):
            attempt(client, "chief", "guess", f"203.0.113.{n}")
    alert = SecurityAlert.objects.get()
    for user in (municipal_reviewer(), org_admin(OrganisationFactory())):
        client.force_login(user)
        assert client.get(reverse("accounts:security_alerts")).status_code == 403
        acknowledge = reverse("accounts:security_alert_acknowledge", args=[alert.pk])
        assert client.post(acknowledge).status_code == 404
        nav = [i["url"] for i in client.get("/accounts/login/").context["nav_items"]]
        assert reverse("accounts:security_alerts") not in nav
    alert.refresh_from_db()
    assert alert.open
