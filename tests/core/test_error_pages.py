"""The site's error pages: the layout, in the user's language (haihe.core.errors)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PersonFactory, worker

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls_errors")]

SITE = {"zh-hans": "海河技能人才服务平台", "en": "Haihe skilled-workforce platform"}


def _get(client, url, language):
    client.cookies["django_language"] = language
    return client.get(url, headers={"accept-language": language})


@pytest.mark.parametrize(
    ("language", "words"), [("zh-hans", "页面不存在"), ("en", "Page not found")]
)
def test_a_404_is_the_sites_page_in_the_users_language(client, language, words):
    response = _get(client, "/no-such-page/", language)
    assert response.status_code == 404
    page = response.content.decode()
    assert words in page and 'data-testid="error-404"' in page
    assert f'<html lang="{language}">' in page and "haihe/haihe.css" in page
    assert SITE[language] in page


@pytest.mark.parametrize(("language", "words"), [("zh-hans", "无权访问"), ("en", "Access denied")])
def test_a_403_is_the_sites_page_in_the_users_language(client, districts, language, words):
    client.force_login(worker(PersonFactory(district=districts["120101"])))
    response = _get(client, reverse("core:audit"), language)
    assert response.status_code == 403
    page = response.content.decode()
    assert words in page and 'data-testid="error-403"' in page
    assert 'href="/registry/me/"' in page  # the layout with the worker's own navigation


def test_a_403_says_why_when_the_refusal_has_a_reason(client):
    page = client.get("/test-errors/refused/").content.decode()
    assert "只有开班单位可以执行此操作。" in page


@pytest.mark.parametrize(
    ("language", "words"), [("zh-hans", "服务器内部错误"), ("en", "Internal server error")]
)
def test_a_500_renders_the_minimal_layout_in_the_users_language(language, words):
    client = Client(raise_request_exception=False)
    response = _get(client, "/test-errors/boom/", language)
    assert response.status_code == 500
    page = response.content.decode()
    assert words in page and 'data-testid="error-500"' in page
    assert SITE[language] in page and "haihe/haihe.css" in page
    assert "<form" not in page  # no request context: no forms, no account, no navigation


def test_the_500_page_falls_back_to_static_html_when_the_layout_fails(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False}
    ]  # no template can be found
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/boom/")
    assert response.status_code == 500
    assert "服务器内部错误" in response.content.decode()


def test_a_400_and_a_csrf_failure_are_the_sites_pages(client):
    response = client.get("/test-errors/suspicious/")
    assert response.status_code == 400 and 'data-testid="error-400"' in response.content.decode()
    strict = Client(enforce_csrf_checks=True)
    response = _get(strict, "/", "en")
    response = strict.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="error-csrf"' in page and "expired" in page


def test_machines_get_a_problem_not_a_page():
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404
    response = client.get("/api/v1/test-errors/boom/")
    assert response.status_code == 500 and response.json()["status"] == 500
