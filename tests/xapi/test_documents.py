"""State, Activity Profile and Agent Profile (ETag concurrency); Activities and Agents."""

import hashlib
from urllib.parse import urlencode

import orjson
import pytest

from tests.xapi.conftest import statement

pytestmark = pytest.mark.django_db

ACTIVITY = "https://platform-a.example/courses/weld-3"
AGENT = orjson.dumps({"account": {"homePage": "https://platform-a.example", "name": "u1"}}).decode()
REGISTRATION = "0f8d4a1e-52a4-4b53-8f2e-1c1a0a3c8d11"


def q(**params) -> str:
    return "?" + urlencode(params)


def test_state_put_get_list_delete(lrs):
    where = {"activityId": ACTIVITY, "agent": AGENT, "registration": REGISTRATION}
    assert (
        lrs.put("activities/state", {"page": 3}, q(stateId="bookmark", **where)).status_code == 204
    )
    response = lrs.get("activities/state", {"stateId": "bookmark", **where})
    assert response.status_code == 200
    assert response.json() == {"page": 3}
    assert response["ETag"] == f'"{hashlib.sha1(b'{"page":3}').hexdigest()}"'  # noqa: S324
    assert response["Last-Modified"]
    assert lrs.get("activities/state", where).json() == ["bookmark"]
    other_registration = {**where, "registration": "1f8d4a1e-52a4-4b53-8f2e-1c1a0a3c8d11"}
    assert lrs.get("activities/state", other_registration).json() == []
    assert lrs.delete("activities/state", q(**where)).status_code == 204
    assert lrs.get("activities/state", {"stateId": "bookmark", **where}).status_code == 404


def test_state_post_merges_json_objects(lrs):
    where = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s"}
    lrs.put("activities/state", {"a": 1, "b": 1}, q(**where))
    assert lrs.post_raw("activities/state", b'{"b": 2, "c": 3}', q(**where)).status_code == 204
    assert lrs.get("activities/state", where).json() == {"a": 1, "b": 2, "c": 3}
    assert lrs.post_raw("activities/state", b"[1]", q(**where)).status_code == 400
    assert lrs.get("activities/state", where).json() == {"a": 1, "b": 2, "c": 3}
    assert (
        lrs.post_raw("activities/state", b"x", q(**where), content_type="text/plain").status_code
        == 400
    )


@pytest.mark.parametrize("body", [b"1", b"true", b"abc"])
def test_post_of_a_new_document_is_stored_whatever_its_content(lrs, body):
    where = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "new"}
    form = "application/x-www-form-urlencoded"
    assert lrs.post_raw("activities/state", body, q(**where), content_type=form).status_code == 204
    assert lrs.get("activities/state", where).content == body
    # a second POST cannot merge into a non-JSON document
    assert lrs.post_raw("activities/state", b'{"x": 1}', q(**where)).status_code == 400


def test_state_parameters_are_validated(lrs):
    assert lrs.get("activities/state", {"activityId": ACTIVITY}).status_code == 400
    assert lrs.get("activities/state", {"activityId": "nope", "agent": AGENT}).status_code == 400
    bad_agent = {"activityId": ACTIVITY, "agent": '{"name": "x"}'}
    assert lrs.get("activities/state", bad_agent).status_code == 400
    bad_registration = {"activityId": ACTIVITY, "agent": AGENT, "registration": "r"}
    assert lrs.get("activities/state", bad_registration).status_code == 400
    assert lrs.put("activities/state", {}, q(activityId=ACTIVITY, agent=AGENT)).status_code == 400


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("activities/profile", {"activityId": ACTIVITY, "profileId": "p"}),
        ("agents/profile", {"agent": AGENT, "profileId": "p"}),
    ],
)
def test_profile_concurrency(lrs, path, where):
    assert (
        lrs.put(path, {"v": 1}, q(**where), headers={"HTTP_IF_NONE_MATCH": "*"}).status_code == 204
    )
    etag = lrs.get(path, where)["ETag"]
    # An existing document is not overwritten blindly.
    assert lrs.put(path, {"v": 2}, q(**where)).status_code == 409
    assert (
        lrs.put(path, {"v": 2}, q(**where), headers={"HTTP_IF_NONE_MATCH": "*"}).status_code == 412
    )
    assert (
        lrs.put(path, {"v": 2}, q(**where), headers={"HTTP_IF_MATCH": '"0000"'}).status_code == 412
    )
    assert lrs.put(path, {"v": 2}, q(**where), headers={"HTTP_IF_MATCH": etag}).status_code == 204
    assert lrs.get(path, where).json() == {"v": 2}
    # The old ETag no longer matches: a lost update is refused.
    assert lrs.put(path, {"v": 3}, q(**where), headers={"HTTP_IF_MATCH": etag}).status_code == 412
    assert lrs.delete(path, q(**where), headers={"HTTP_IF_MATCH": etag}).status_code == 412
    new_etag = lrs.get(path, where)["ETag"]
    assert lrs.delete(path, q(**where), headers={"HTTP_IF_MATCH": new_etag}).status_code == 204
    assert lrs.get(path, where).status_code == 404


def test_profile_if_match_on_missing_document_is_412(lrs):
    where = q(activityId=ACTIVITY, profileId="missing")
    response = lrs.put("activities/profile", {"v": 1}, where, headers={"HTTP_IF_MATCH": '"abc"'})
    assert response.status_code == 412


def test_profile_list_since(lrs):
    new = {"HTTP_IF_NONE_MATCH": "*"}
    lrs.put("activities/profile", {"v": 1}, q(activityId=ACTIVITY, profileId="one"), headers=new)
    lrs.put("activities/profile", {"v": 1}, q(activityId=ACTIVITY, profileId="two"), headers=new)
    assert lrs.get("activities/profile", {"activityId": ACTIVITY}).json() == ["one", "two"]
    later = lrs.get("activities/profile", {"activityId": ACTIVITY, "since": "2999-01-01T00:00:00Z"})
    assert later.json() == []


def test_non_json_documents_round_trip(lrs):
    where = q(activityId=ACTIVITY, profileId="bin")
    lrs.put(
        "activities/profile",
        b"\x00\x01binary",
        where,
        content_type="application/octet-stream",
        headers={"HTTP_IF_NONE_MATCH": "*"},
    )
    response = lrs.get("activities/profile", {"activityId": ACTIVITY, "profileId": "bin"})
    assert response.content == b"\x00\x01binary"
    assert response["Content-Type"] == "application/octet-stream"


def test_documents_are_isolated_between_platforms(lrs, other_lrs):
    where = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s"}
    lrs.put("activities/state", {"mine": True}, q(**where))
    assert other_lrs.get("activities/state", where).status_code == 404
    assert other_lrs.get("activities/state", {"activityId": ACTIVITY, "agent": AGENT}).json() == []
    other_lrs.put("activities/state", {"theirs": True}, q(**where))
    assert lrs.get("activities/state", where).json() == {"mine": True}
    other_lrs.delete("activities/state", q(activityId=ACTIVITY, agent=AGENT))
    assert lrs.get("activities/state", where).status_code == 200


def test_activities_resource_returns_the_definition(lrs):
    data = statement()
    lrs.statements(data)
    response = lrs.get("activities", {"activityId": data["object"]["id"]})
    assert response.json()["definition"]["name"] == {"zh-CN": "焊接工艺 第4课"}
    unknown = lrs.get("activities", {"activityId": "https://x.example/unknown"})
    assert unknown.json() == {"objectType": "Activity", "id": "https://x.example/unknown"}
    assert lrs.get("activities", {}).status_code == 400


def test_activities_resource_hides_other_platforms_definitions(lrs, other_lrs):
    data = statement()
    lrs.statements(data)
    response = other_lrs.get("activities", {"activityId": data["object"]["id"]})
    assert "definition" not in response.json()


def test_agents_resource_returns_a_person(lrs):
    response = lrs.get("agents", {"agent": AGENT})
    assert response.json() == {
        "objectType": "Person",
        "account": [{"homePage": "https://platform-a.example", "name": "u1"}],
    }
    assert lrs.get("agents", {"agent": "{}"}).status_code == 400
