"""Issue 9, item 8: the headline figures are read only by the bureau and the reviewers (the API
and the dashboard agree through one perms function), cached per as-of date, and the expensive
endpoints (figures, CSV exports) are rate-limited per account with a 429 problem answer."""

import datetime
import inspect

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from haihe.accounts import services as accounts
from haihe.accounts.roles import Role
from haihe.core import clock
from haihe.core.figures import FIGURES, Figure
from haihe.stats import perms
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    bureau_admin,
    district_reviewer,
    municipal_reviewer,
    org_admin,
    org_staff,
    worker,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts_by_role(districts):
    org = OrganisationFactory(district=districts["120101"])
    return {
        Role.BUREAU_ADMIN: bureau_admin(),
        Role.MUNICIPAL_REVIEWER: municipal_reviewer(),
        Role.DISTRICT_REVIEWER: district_reviewer(districts["120101"]),
        Role.ORG_ADMIN: org_admin(org),
        Role.ORG_STAFF: org_staff(org),
        Role.EXPERT: UserFactory(role=Role.EXPERT),
        Role.WORKER: worker(PersonFactory(district=districts["120101"])),
    }


def bearer(user) -> dict:
    _token, secret = accounts.token_issue(actor=bureau_admin(), user=user, name="stats")
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def counted(monkeypatch):
    """A figure that counts how often it is computed (and for which dates)."""
    calls = []

    def compute(as_of):
        calls.append(as_of)
        return 7

    monkeypatch.setitem(FIGURES, "zz_probe", Figure("zz_probe", "probe", compute, order=999))
    return calls


# ----- scope ---------------------------------------------------------------------------------


def test_only_the_bureau_and_reviewers_read_the_figures_on_the_api_and_the_dashboard(
    client, accounts_by_role
):
    readers = {Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER, Role.DISTRICT_REVIEWER}
    for role, user in accounts_by_role.items():
        expected = 200 if role in readers else 403
        assert perms.can_view_figures(user) is (role in readers)
        assert client.get("/api/v1/stats/", headers=bearer(user)).status_code == expected, role
        client.force_login(user)
        assert client.get("/api/v1/stats/").status_code == expected, role
        assert client.get(reverse("stats:dashboard")).status_code == expected, role
        client.logout()
    assert client.get("/api/v1/stats/").status_code == 401
    assert not perms.can_view_figures(None)


def test_the_figures_answer(client, accounts_by_role, counted):
    body = client.get(
        "/api/v1/stats/?as_of=2020-09-30", headers=bearer(accounts_by_role[Role.WORKER])
    )
    assert body.status_code == 403 and counted == []  # refused before anything is computed
    response = client.get(
        "/api/v1/stats/?as_of=2020-09-30", headers=bearer(accounts_by_role[Role.BUREAU_ADMIN])
    )
    assert response.json()["as_of"] == "2020-09-30"
    assert response.json()["figures"]["zz_probe"] == 7 and "people" in response.json()["figures"]


# ----- cache ---------------------------------------------------------------------------------


def test_the_second_call_does_not_recompute(client, accounts_by_role, counted):
    auth = bearer(accounts_by_role[Role.MUNICIPAL_REVIEWER])
    other = bearer(accounts_by_role[Role.DISTRICT_REVIEWER])
    first = client.get("/api/v1/stats/?as_of=2020-09-30", headers=auth).json()
    second = client.get("/api/v1/stats/?as_of=2020-09-30", headers=other).json()
    assert first == second and counted == [datetime.date(2020, 9, 30)]
    client.get("/api/v1/stats/?as_of=2020-10-31", headers=auth)  # another date: computed
    assert counted == [datetime.date(2020, 9, 30), datetime.date(2020, 10, 31)]
    client.force_login(accounts_by_role[Role.BUREAU_ADMIN])  # the dashboard reads the same
    page = client.get(reverse("stats:dashboard") + "?as_of=2020-09-30")
    assert page.status_code == 200 and len(counted) == 2


def test_the_cache_is_short_lived(client, accounts_by_role, counted, settings):
    settings.HAIHE_STATS_CACHE_SECONDS = 0
    auth = bearer(accounts_by_role[Role.BUREAU_ADMIN])
    for _ in range(2):
        client.get("/api/v1/stats/?as_of=2020-09-30", headers=auth)
    assert len(counted) == 2


# ----- rate limits ---------------------------------------------------------------------------


def assert_problem(response, *, language="zh-hans"):
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail"} and body["status"] == 429
    if language == "en":
        assert body["title"] == "Too many requests" and response["Retry-After"] in body["detail"]
    else:
        assert body["title"] == "请求过于频繁"


def test_the_stats_endpoint_is_rate_limited_per_account(client, accounts_by_role, settings):
    settings.HAIHE_RATE_LIMITS = {**settings.HAIHE_RATE_LIMITS, "stats": (3, 60)}
    auth = bearer(accounts_by_role[Role.BUREAU_ADMIN])
    for n in range(3):
        assert client.get(f"/api/v1/stats/?as_of=2020-09-{n + 1:02d}", headers=auth).status_code
    limited = client.get("/api/v1/stats/", headers={**auth, "Accept-Language": "en"})
    assert_problem(limited, language="en")
    assert_problem(client.get("/api/v1/stats/", headers=auth))
    # another account is not affected
    other = bearer(accounts_by_role[Role.MUNICIPAL_REVIEWER])
    assert client.get("/api/v1/stats/", headers=other).status_code == 200
    # the dashboard counts in the same bucket
    client.force_login(accounts_by_role[Role.BUREAU_ADMIN])
    assert_problem(client.get(reverse("stats:dashboard")))


def test_the_limit_lifts_after_its_window(client, accounts_by_role, settings, monkeypatch):
    settings.HAIHE_RATE_LIMITS = {**settings.HAIHE_RATE_LIMITS, "stats": (1, 60)}
    auth = bearer(accounts_by_role[Role.BUREAU_ADMIN])
    assert client.get("/api/v1/stats/", headers=auth).status_code == 200
    assert client.get("/api/v1/stats/", headers=auth).status_code == 429
    later = clock.real_now() + datetime.timedelta(seconds=61)
    monkeypatch.setattr(clock, "real_now", lambda: later)
    assert client.get("/api/v1/stats/", headers=auth).status_code == 200


EXPORTS = ["core:audit_export", "registry:people_export", "registry:organisations_export"]


@pytest.mark.parametrize("name", EXPORTS)
def test_each_csv_export_is_rate_limited_per_account(client, accounts_by_role, settings, name):
    settings.HAIHE_RATE_LIMITS = {**settings.HAIHE_RATE_LIMITS, "export": (2, 60)}
    client.force_login(accounts_by_role[Role.BUREAU_ADMIN])
    for _ in range(2):
        response = client.get(reverse(name))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert_problem(client.get(reverse(name), headers={"Accept-Language": "en"}), language="en")
    client.force_login(accounts_by_role[Role.MUNICIPAL_REVIEWER])
    assert client.get(reverse(name)).status_code == 200


def _views(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _views(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", inspect.unwrap(pattern.callback)


def test_every_csv_export_is_a_rate_limited_view(settings):
    exports = set()
    for name, view in _views(get_resolver()):
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            continue
        if "csv_download(" in source:
            exports.add(name)
    assert exports >= set(EXPORTS)  # the scan finds the exports tested above
    unlimited = {n for n in exports if settings.HAIHE_RATE_LIMITED_VIEWS.get(n) != "export"}
    assert unlimited == set(), "add them to HAIHE_RATE_LIMITED_VIEWS"


def test_an_out_of_range_date_is_refused_not_a_crash(client, accounts_by_role):
    auth = bearer(accounts_by_role[Role.BUREAU_ADMIN])
    for day in ("0001-01-01", "9999-12-31"):
        response = client.get(f"/api/v1/stats/?as_of={day}", headers=auth)
        # A rule of the platform's dates (the document cannot state it): 400 naming the field.
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "as_of"
        client.force_login(accounts_by_role[Role.BUREAU_ADMIN])
        page = client.get(reverse("stats:dashboard") + f"?as_of={day}")
        assert page.status_code == 200 and page.context["as_of"] == clock.today()


def test_the_document_types_every_problem_answer_of_the_figures(client):
    """The 400 (date out of range) and the 429 (rate limit) are documented as what they are."""
    answers = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/stats/"]["get"]
    for status in ("400", "429"):
        assert list(answers["responses"][status]["content"]) == ["application/problem+json"]
