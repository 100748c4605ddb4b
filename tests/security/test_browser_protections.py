"""Issue 9, item 7: a Content-Security-Policy on every page (no inline script or style, and
the templates keep none), and an LRS that answers CORS without credentials and never takes a
browser's session for authentication. tests/browser/test_content_security_policy.py checks in
Chromium that the pages, the dashboard and the Swagger page still work under the policy."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

import haihe
from haihe.xapi import services as xapi_services
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    bureau_admin,
    district_reviewer,
    org_admin,
    worker,
)
from tests.xapi.conftest import XAPIClient, make_platform, statement

pytestmark = pytest.mark.django_db

EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict(response) -> None:
    directives = policy(response)
    for name, values in EXPECTED.items():
        assert directives.get(name) == values, (response.request["PATH_INFO"], name, directives)
    everything = " ".join(v for values in directives.values() for v in values)
    assert "'unsafe-inline'" not in everything and "'unsafe-eval'" not in everything
    assert "*" not in everything.split()


def test_the_policy_is_on_public_pages_errors_and_the_api(client):
    for url in ("/", reverse("accounts:login"), "/api/v1/docs", "/api/v1/openapi.json"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert_strict(missing)
    assert_strict(client.get("/api/v1/registry/people"))  # a 401 of the API
    assert_strict(client.get("/xapi/about"))


def test_the_policy_is_on_every_modules_pages(client, districts):
    """Every navigation entry of every kind of account (that is every module's pages)."""
    platform = OrganisationFactory(kinds=["online_training_platform", "training_institution"])
    users = [
        bureau_admin(),
        district_reviewer(districts["120101"]),
        org_admin(platform),
        worker(PersonFactory(district=districts["120101"])),
    ]
    seen = set()
    for user in users:
        client.force_login(user)
        home = client.get("/", follow=True)
        assert_strict(home)
        for item in home.context["nav_items"]:
            response = client.get(item["url"], follow=True)
            assert response.status_code == 200, item["url"]
            assert_strict(response)
            seen.add(item["url"].strip("/").split("/")[0])
    assert seen >= {
        "dashboard",
        "registry",
        "policy",
        "audit",
        "accounts",
        "training",
        "subsidies",
        "supervision",
        "xapi",
    }
    client.force_login(users[-1])  # a worker on a bureau page: the 403 page has it too
    forbidden = client.get(reverse("core:audit"))
    assert forbidden.status_code == 403
    assert_strict(forbidden)


# ----- no inline script, style or handler in any template -------------------------------------

TEMPLATE_DIRS = sorted(Path(haihe.__file__).parent.glob("**/templates"))

INLINE = [
    # a <script> element with a body (a src= script is fine; JSON data is made by json_script)
    ("inline <script>", re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>(?!\s*</script>)", re.I)),
    ("<style> element", re.compile(r"<style\b", re.I)),
    ("style= attribute", re.compile(r"\sstyle\s*=", re.I)),
    ("on…= handler", re.compile(r"\son[a-z]+\s*=", re.I)),
    ("hx-on handler", re.compile(r"\shx-on", re.I)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
]


def inline_code(text: str) -> list[str]:
    return [name for name, pattern in INLINE if pattern.search(text)]


def test_the_scanner_finds_each_kind_of_inline_code():
    assert inline_code("<script>alert(1)</script>") == ["inline <script>"]
    assert inline_code('<script src="/static/a.js" defer></script>') == []
    assert inline_code("<style>p{}</style>") == ["<style> element"]
    assert inline_code('<p style="color:red">') == ["style= attribute"]
    assert inline_code('<input onclick="x()">') == ["on…= handler"]
    assert inline_code('<body ONLOAD = "x()">') == ["on…= handler"]
    assert inline_code('<div hx-on:click="x()">') == ["hx-on handler"]
    assert inline_code('<a href="javascript:x()">') == ["javascript: URL"]
    assert inline_code('<input data-check-all="claim" name="only">') == []


def test_no_template_has_inline_script_style_or_handlers():
    templates = [p for d in TEMPLATE_DIRS for p in sorted(d.rglob("*.html"))]
    assert len(templates) > 40 and any("subsidies" in str(p) for p in templates)
    found = {
        str(path.relative_to(Path(haihe.__file__).parent)): kinds
        for path in templates
        if (kinds := inline_code(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "move them to haihe/static/haihe/ (the CSP refuses them)"


# ----- xAPI: CORS without credentials, HTTP Basic only ------------------------------------------

EVIL = "https://evil.example"


@pytest.fixture
def lrs(db):
    credential = xapi_services.credential_issue(actor=None, organisation=make_platform())
    _credential, key, secret = credential
    return XAPIClient(key, secret)


def test_xapi_cors_allows_any_origin_without_credentials(lrs):
    lrs.statements(statement())
    for response in (
        lrs.client.options("/xapi/statements", HTTP_ORIGIN=EVIL),
        lrs.get("statements", headers={"HTTP_ORIGIN": EVIL}),
        lrs.get("statements", headers={"HTTP_ORIGIN": EVIL, "HTTP_AUTHORIZATION": "Basic !!"}),
    ):
        assert response["Access-Control-Allow-Origin"] == "*"
        assert not response.has_header("Access-Control-Allow-Credentials")
        assert "Authorization" in response["Access-Control-Allow-Headers"]


def test_xapi_cors_answers_only_configured_origins(lrs, settings):
    settings.HAIHE_XAPI_CORS_ORIGINS = ["https://lms.example"]
    listed = lrs.client.options("/xapi/statements", HTTP_ORIGIN="https://lms.example")
    assert listed["Access-Control-Allow-Origin"] == "https://lms.example"
    assert "Origin" in [v.strip() for v in listed["Vary"].split(",")]
    unlisted = lrs.get("statements", headers={"HTTP_ORIGIN": EVIL})
    assert unlisted.status_code == 200  # the platform's own (server-side) call still works
    assert not unlisted.has_header("Access-Control-Allow-Origin")
    for response in (listed, unlisted):
        assert not response.has_header("Access-Control-Allow-Credentials")


def test_a_browser_session_never_authenticates_an_xapi_call(client, lrs):
    lrs.statements(statement())
    client.force_login(bureau_admin())
    session = XAPIClient(None, None, client)
    for response in (
        session.get("statements"),
        session.get("activities/state", {"activityId": "https://x.example/a"}),
        session.statements(statement()),
    ):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Basic")
    assert lrs.get("statements").status_code == 200  # HTTP Basic still does
