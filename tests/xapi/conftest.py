"""Fixtures of the LRS tests: selected platforms with credentials, and an xAPI client."""

import base64
import datetime
import uuid

import orjson
import pytest
from django.test import Client

from haihe.core import clock
from haihe.xapi import services
from tests.factories import OrganisationFactory

VERSION_HEADER = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}


class XAPIClient:
    """Django's test client speaking xAPI with one platform's Basic credential."""

    def __init__(self, key: str | None, secret: str | None, client: Client | None = None):
        self.client = client or Client()
        self.auth = {}
        if key is not None:
            token = base64.b64encode(f"{key}:{secret}".encode()).decode()
            self.auth = {"HTTP_AUTHORIZATION": f"Basic {token}"}

    def _headers(self, headers):
        return {**VERSION_HEADER, **self.auth, **(headers or {})}

    def get(self, path, params=None, headers=None):
        return self.client.get(f"/xapi/{path}", params or {}, **self._headers(headers))

    def post_json(self, path, data, params="", headers=None):
        body = data if isinstance(data, bytes) else orjson.dumps(data)
        return self.client.generic(
            "POST",
            f"/xapi/{path}{params}",
            body,
            content_type="application/json",
            **self._headers(headers),
        )

    def put(self, path, body, params="", content_type="application/json", headers=None):
        body = body if isinstance(body, bytes) else orjson.dumps(body)
        return self.client.generic(
            "PUT",
            f"/xapi/{path}{params}",
            body,
            content_type=content_type,
            **self._headers(headers),
        )

    def post_raw(self, path, body, params="", content_type="application/json", headers=None):
        return self.client.generic(
            "POST",
            f"/xapi/{path}{params}",
            body,
            content_type=content_type,
            **self._headers(headers),
        )

    def delete(self, path, params="", headers=None):
        return self.client.generic("DELETE", f"/xapi/{path}{params}", **self._headers(headers))

    def statements(self, statements):
        return self.post_json("statements", statements)


def make_platform(name="平台", selected=True, **kw):
    platform = OrganisationFactory(name=name, kinds=["online_training_platform"], **kw)
    if selected:
        today = clock.today()
        services.platform_select(
            actor=None,
            organisation=platform,
            valid_from=today - datetime.timedelta(days=30),
            valid_until=today + datetime.timedelta(days=30),
        )
    return platform


@pytest.fixture
def platform(db):
    return make_platform("甲平台")


@pytest.fixture
def other_platform(db):
    return make_platform("乙平台")


@pytest.fixture
def lrs(platform):
    _credential, key, secret = services.credential_issue(actor=None, organisation=platform)
    return XAPIClient(key, secret)


@pytest.fixture
def other_lrs(other_platform):
    _credential, key, secret = services.credential_issue(actor=None, organisation=other_platform)
    return XAPIClient(key, secret)


def statement(**overrides) -> dict:
    """A realistic statement of the Haihe profile (a learning session ends)."""
    data = {
        "id": str(uuid.uuid4()),
        "actor": {
            "objectType": "Agent",
            "name": "张三",
            "account": {"homePage": "https://platform-a.example", "name": "u1001"},
        },
        "verb": {"id": "http://adlnet.gov/expapi/verbs/terminated", "display": {"zh-CN": "结束"}},
        "object": {
            "objectType": "Activity",
            "id": "https://platform-a.example/courses/weld-3/lesson-4",
            "definition": {
                "name": {"zh-CN": "焊接工艺 第4课"},
                "type": "http://adlnet.gov/expapi/activities/lesson",
            },
        },
        "result": {"duration": "PT45M"},
        "context": {
            "registration": str(uuid.uuid4()),
            "platform": "Platform A",
            "contextActivities": {
                "parent": [{"id": "https://platform-a.example/courses/weld-3"}],
            },
        },
        "timestamp": "2020-05-06T09:45:00+08:00",
    }
    data.update(overrides)
    return data
