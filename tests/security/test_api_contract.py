"""Issue 8 "One API contract" and issue 9: one error shape (RFC 9457 problem details) for every
router in the caller's language, documented on every operation; filters declared once and
refused alike by the API and the pages; every numeric range and choice backed by the database."""

import logging
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.test import Client
from django.urls import reverse
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from haihe.api import api as project_api
from haihe.training import services
from tests.factories import bureau_admin
from tests.security.conftest import token_client
from tests.training.factories import TrainingClassFactory, occupation, soon

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == PROBLEM_KEYS
    assert body["status"] == status and body["type"].startswith("urn:haihe:problem:")
    assert body["title"] and body["detail"]
    for entry in body["errors"]:
        assert set(entry) == {"field", "message", "loc"} and entry["message"]
    return body


def test_every_kind_of_refusal_is_one_problem_shape(api, institution, heping):
    klass = TrainingClassFactory(organisation=institution, district=heping, status="submitted")
    bad = api.post(
        "/api/v1/training/classes",
        {
            "occupation": occupation().code,
            "level": 4,
            "mode": "online",
            "planned_theory_hours": "10",
            "planned_practice_hours": "10",
            "start_date": soon(10).isoformat(),
            "end_date": soon(12).isoformat(),
            "district": "120101",
            "capacity": 10,
        },
        content_type="application/json",
    )
    assert [e["field"] for e in problem(bad, 400)["errors"]] == ["platform_id"]
    assert problem(Client().get("/api/v1/training/classes"), 401)["errors"] == []
    forbidden = api.post(f"/api/v1/training/classes/{klass.pk}/review", {"decision": "approve"})
    assert problem(forbidden, 403)["type"] == "urn:haihe:problem:forbidden"
    assert problem(api.get("/api/v1/training/classes/999999"), 404)["detail"] == (
        "未找到，或不在您的查看范围内。"
    )
    invalid = problem(api.get("/api/v1/training/classes", {"level": "x", "status": "nope"}), 422)
    assert {e["field"] for e in invalid["errors"]} == {"level", "status"}
    assert invalid["detail"] == "以下参数无效：status, level。"
    unparsable = api.post("/api/v1/training/enrolments", b"{", content_type="application/json")
    assert problem(unparsable, 400)["detail"] == "请求体不是有效的 JSON。"


def test_problems_are_in_the_callers_language(inst_admin):
    english = token_client(inst_admin, **{"accept-language": "en"})
    body = problem(english.get("/api/v1/training/classes", {"offset": -1}), 422)
    assert body["title"] == "Invalid parameters"
    assert body["errors"][0]["message"] == "Must be greater than or equal to 0."
    assert english.get("/api/v1/training/classes/999999")["Content-Language"] == "en"
    chinese = token_client(inst_admin)
    assert problem(chinese.get("/api/v1/training/classes/999999"), 404)["title"] == "未找到"


def test_an_unexpected_error_is_a_logged_500_problem(api, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "class_file", broken)
    payload = {
        "occupation": occupation().code,
        "level": 4,
        "mode": "offline",
        "planned_theory_hours": "10",
        "planned_practice_hours": "10",
        "start_date": soon(10).isoformat(),
        "end_date": soon(12).isoformat(),
        "district": "120101",
        "capacity": 10,
    }
    with caplog.at_level(logging.ERROR, logger="haihe.api"):
        response = api.post("/api/v1/training/classes", payload, content_type="application/json")
    body = problem(response, 500)
    assert "boom" not in body["detail"]
    assert any(r.name == "haihe.api" and r.exc_info for r in caplog.records)


def test_the_openapi_document_lists_the_problems_of_every_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["components"]["schemas"]["Problem"]["required"]) == PROBLEM_KEYS
    count = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            count += 1
            expected = {"400", "403", "404", "422"} | (
                {"401"} if operation.get("security") else set()
            )
            documented = {s for s in operation["responses"] if s.startswith("4")}
            assert expected <= documented, (method, path)
            for status in expected:
                content = operation["responses"][status]["content"]
                assert content == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                }, (method, path, status)
    assert count >= 30


def test_no_router_builds_an_error_body_of_its_own():
    """Routers raise; the handlers of haihe/api.py answer (a fitness test for new routers too)."""
    routers = sorted(ROOT.glob("haihe/*/api.py"))
    assert len(routers) >= 5
    for path in routers:
        source = path.read_text(encoding="utf-8")
        assert "HttpError" not in source, path
        assert not re.search(r"Status\(\s*[45]\d\d", source), path
        assert '"detail"' not in source, path
        assert "class Error(" not in source, path
    assert set(project_api._exception_handlers) >= {
        Exception,
        ValidationError,
        PermissionDenied,
        ObjectDoesNotExist,
        Http404,
        NinjaValidationError,
        AuthenticationError,
    }


# one declaration of each list's filters, refused alike by the API and the page -------------
LISTS = [
    # (api path, page url name, a refused filter, the expected API status)
    ("/api/v1/training/classes", "training:classes", {"status": "nope"}, 422),
    ("/api/v1/training/classes", "training:classes", {"district": "999999"}, 400),
    ("/api/v1/subsidies/claims", "subsidies:claims", {"status": "nope"}, 422),
    ("/api/v1/subsidies/claims", "subsidies:claims", {"occupation": "0-00"}, 400),
    ("/api/v1/supervision/flags", "supervision:flags", {"kind": "ghost"}, 422),
    ("/api/v1/registry/people", "registry:people", {"key_group": "ghost"}, 422),
    ("/api/v1/registry/organisations", "registry:organisations", {"kind": "ghost"}, 422),
    ("/api/v1/registry/occupations", "registry:occupations", {"active": "maybe"}, 422),
    ("/api/v1/schools/majors", "schools:majors", {"status": "nope"}, 422),
    ("/api/v1/schools/majors", "schools:majors", {"district": "999999"}, 400),
    ("/api/v1/schools/agreements", "schools:agreements", {"form": "ghost"}, 422),
    ("/api/v1/schools/register", "schools:register", {"level": "ghost"}, 422),
]


@pytest.mark.parametrize(("path", "page", "query", "status"), LISTS)
def test_an_unknown_filter_value_is_refused_by_the_api_and_the_page(
    client, bureau_api, path, page, query, status
):
    [field] = query
    refused = problem(bureau_api.get(path, query), status)
    assert [e["field"] for e in refused["errors"]] == [field]
    client.force_login(bureau_admin(username="bureau-page"))
    shown = client.get(reverse(page), query)
    assert shown.status_code == 400
    assert shown.context["filter_errors"] and field in shown.context["filter_errors"]
    assert 'data-testid="filter-errors"' in shown.content.decode()
    assert len(shown.context["page"].object_list) == 0
    assert client.get(reverse(page)).status_code == 200  # no filter: the page as before


# every numeric range and every choice is backed by the database -------------------------------
def _lookups(condition) -> set[str]:
    found = set()
    for child in condition.children:
        if isinstance(child, Q):
            found |= _lookups(child)
        else:
            found.add(child[0].split("__")[0])
    return found


NUMERIC = (models.IntegerField, models.DecimalField, models.FloatField)


@pytest.mark.parametrize(
    "app", ["registry", "training", "subsidies", "supervision", "policy", "schools"]
)
def test_every_numeric_field_and_choice_has_a_range_and_a_check_constraint(app):
    for model in apps.get_app_config(app).get_models():
        checked = set()
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                checked |= _lookups(constraint.condition)
        for field in model._meta.concrete_fields:
            if field.is_relation or field.primary_key:
                continue
            where = f"{model.__name__}.{field.name}"
            if field.choices:
                assert field.name in checked, f"{where}: no CHECK of its choices"
            if isinstance(field, NUMERIC):
                kinds = {type(v) for v in field.validators}
                assert {MinValueValidator, MaxValueValidator} <= kinds, f"{where}: no range"
                assert field.name in checked, f"{where}: no CHECK of its range"
