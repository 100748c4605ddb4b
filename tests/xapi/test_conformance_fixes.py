"""Fixes found by running the ADL LRS conformance test suite (xAPI 1.0.3) against the LRS."""

import base64
import datetime
import uuid
from urllib.parse import urlencode

import orjson
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from tests.xapi.conftest import statement
from tests.xapi.test_attachments import attachment_meta, multipart, part

pytestmark = pytest.mark.django_db

CATEGORY = {"objectType": "Activity", "id": "http://example.com/category/1"}


def _get(lrs, statement_id, **params):
    response = lrs.get("statements", {"statementId": statement_id, **params})
    assert response.status_code == 200, response.content
    return orjson.loads(response.content)


# ----- 2.4.6.2: ContextActivities are returned as arrays ----------------------------------------


def test_single_context_activity_is_returned_as_array(lrs):
    data = statement(context={"contextActivities": {"category": CATEGORY, "parent": [CATEGORY]}})
    assert lrs.statements(data).status_code == 200
    stored = _get(lrs, data["id"])
    assert stored["context"]["contextActivities"] == {"category": [CATEGORY], "parent": [CATEGORY]}


def test_single_context_activity_in_substatement_is_returned_as_array(lrs):
    sub = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:sub@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/reported"},
        "object": {"id": "http://example.com/a"},
        "context": {"contextActivities": {"other": CATEGORY}},
    }
    data = statement(object=sub, context={"registration": str(uuid.uuid4())})
    assert lrs.statements(data).status_code == 200
    stored = _get(lrs, data["id"])
    assert stored["object"]["context"]["contextActivities"]["other"] == [CATEGORY]


def test_resending_the_same_statement_with_single_context_activity_is_accepted(lrs):
    data = statement(context={"contextActivities": {"category": CATEGORY}})
    assert lrs.statements(data).status_code == 200
    assert lrs.statements(data).status_code == 200


# ----- 2.4.9: a Group authority is only the 3-legged OAuth pair ---------------------------------


def test_identified_group_authority_is_refused(lrs):
    authority = {
        "objectType": "Group",
        "name": "xAPI Group",
        "mbox": "mailto:xapigroup@example.com",
        "member": [
            {"name": "agentA", "mbox": "mailto:agentA@example.com"},
            {"name": "agentB", "mbox": "mailto:agentB@example.com"},
        ],
    }
    assert lrs.statements(statement(authority=authority)).status_code == 400


def test_anonymous_group_authority_of_two_agents_is_accepted(lrs):
    authority = {
        "objectType": "Group",
        "member": [
            {"account": {"homePage": "http://example.com/apps", "name": "app"}},
            {"mbox": "mailto:user@example.com"},
        ],
    }
    assert lrs.statements(statement(authority=authority)).status_code == 200


# ----- format=ids -------------------------------------------------------------------------------


def test_ids_format_keeps_only_the_activity_id_and_the_group_object_type(lrs):
    group = {"objectType": "Group", "name": "G", "mbox": "mailto:group@example.com"}
    data = statement(actor=group)
    assert lrs.statements(data).status_code == 200
    stored = _get(lrs, data["id"], format="ids")
    assert stored["object"] == {"id": data["object"]["id"]}
    assert stored["actor"] == {"objectType": "Group", "mbox": "mailto:group@example.com"}


# ----- 1.3: alternate request syntax ------------------------------------------------------------


@pytest.mark.parametrize(
    ("form_version", "status"),
    [("0.8", 400), ("1.0.3", 204)],
    ids=["contradicting the real header: refused", "agreeing with it: accepted"],
)
def test_alternate_syntax_form_header_against_the_real_header(lrs, form_version, status):
    data = statement()
    form = urlencode(
        {
            "statementId": data["id"],
            "X-Experience-API-Version": form_version,
            "content": orjson.dumps(data).decode(),
        }
    )
    response = lrs.post_raw(
        "statements",
        form.encode(),
        params="?method=PUT",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == status, response.content


# ----- 2.6: JWS signatures verified against an x5c certificate chain ----------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _certificate(subject: str, key, issuer_name: str, issuer_key):
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(issuer_key, hashes.SHA256())
    )


@pytest.fixture(scope="module")
def keys():
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = _certificate("CA", ca_key, "CA", ca_key)
    leaf = _certificate("signer", leaf_key, "CA", ca_key)
    stray = _certificate("stray", other_key, "stray", other_key)
    der = lambda cert: base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()  # noqa: E731
    return {"leaf_key": leaf_key, "leaf": der(leaf), "ca": der(ca), "stray": der(stray)}


def _signed(data: dict, key, chain: list[str], alg="RS256", tamper=False) -> tuple:
    header = _b64url(orjson.dumps({"alg": alg, "x5c": chain}))
    payload = _b64url(orjson.dumps(data))
    algorithm = {"RS256": hashes.SHA256(), "RS384": hashes.SHA384(), "RS512": hashes.SHA512()}
    signature = key.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), algorithm[alg])
    if tamper:
        signature = bytes([signature[0] ^ 1]) + signature[1:]
    jws = f"{header}.{payload}.{_b64url(signature)}".encode()
    meta = attachment_meta(
        jws,
        usageType="http://adlnet.gov/expapi/attachments/signature",
        contentType="application/octet-stream",
    )
    return {**data, "attachments": [meta]}, part(jws, ctype="application/octet-stream")


def _post_signed(lrs, data, signature):
    body, ctype = multipart(data, [signature])
    return lrs.post_raw("statements", body, content_type=ctype)


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_signature_verified_with_x5c_is_accepted(lrs, keys, alg):
    data, signature = _signed(statement(), keys["leaf_key"], [keys["leaf"], keys["ca"]], alg)
    assert _post_signed(lrs, data, signature).status_code == 200


def test_signature_that_does_not_verify_with_x5c_is_refused(lrs, keys):
    data, signature = _signed(statement(), keys["leaf_key"], [keys["leaf"]], tamper=True)
    response = _post_signed(lrs, data, signature)
    assert response.status_code == 400
    assert b"x5c" in response.content


def test_signature_checked_against_the_wrong_certificate_is_refused(lrs, keys):
    data, signature = _signed(statement(), keys["leaf_key"], [keys["stray"]])
    assert _post_signed(lrs, data, signature).status_code == 400


def test_broken_x5c_chain_is_refused(lrs, keys):
    data, signature = _signed(statement(), keys["leaf_key"], [keys["leaf"], keys["stray"]])
    assert _post_signed(lrs, data, signature).status_code == 400


def test_unreadable_x5c_is_refused(lrs, keys):
    data, signature = _signed(statement(), keys["leaf_key"], ["bm90IGEgY2VydA=="])
    assert _post_signed(lrs, data, signature).status_code == 400


# ----- 2.2 / 4.2: RFC 5646 forbids a repeated extension singleton or variant ----------------------


@pytest.mark.parametrize("tag", ["ar-a-aaa-b-bbb-a-ccc", "zh-z-aaa-z-bbb-c-ccc", "de-1901-1901"])
def test_language_tag_with_repeated_singleton_or_variant_is_rejected(lrs, tag):
    data = statement(
        object={
            "objectType": "Activity",
            "id": "http://example.com/activity/lang",
            "definition": {"name": {"en-US": "example", tag: "example"}},
        }
    )
    assert lrs.statements(data).status_code == 400


@pytest.mark.parametrize(
    "tag", ["sr-Latn-RS", "zh-Hans-CN", "de-a-aaa-b-bbb", "en-x-a-a", "de-1901-1996"]
)
def test_language_tag_without_repeats_is_accepted(lrs, tag):
    data = statement(
        object={
            "objectType": "Activity",
            "id": "http://example.com/activity/lang",
            "definition": {"name": {tag: "example"}},
        }
    )
    assert lrs.statements(data).status_code == 200, lrs.statements(data).content


# ----- Part Three 3.1: a PUT to a profile resource needs If-Match or If-None-Match -------------

PROFILE_AGENT = orjson.dumps({"mbox": "mailto:profile@example.com"}).decode()


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("activities/profile", {"activityId": "http://example.com/a/p", "profileId": "p"}),
        ("agents/profile", {"agent": PROFILE_AGENT, "profileId": "p"}),
    ],
)
def test_profile_put_without_precondition_header_is_400_then_409(lrs, path, where):
    params = "?" + urlencode(where)
    response = lrs.put(path, {"v": 1}, params)
    assert response.status_code == 400
    assert lrs.get(path, where).status_code == 404  # nothing stored
    assert lrs.put(path, {"v": 1}, params, headers={"HTTP_IF_NONE_MATCH": "*"}).status_code == 204
    assert lrs.put(path, {"v": 2}, params).status_code == 409  # exists: conflict, unchanged
    assert lrs.get(path, where).json() == {"v": 1}


def test_state_put_without_precondition_header_is_still_accepted(lrs):
    where = {
        "activityId": "http://example.com/a/s",
        "agent": PROFILE_AGENT,
        "stateId": "s",
    }
    assert lrs.put("activities/state", {"v": 1}, "?" + urlencode(where)).status_code == 204
    assert lrs.put("activities/state", {"v": 2}, "?" + urlencode(where)).status_code == 204


# ----- Part Three 2.2: a POSTed application/json document must be a JSON object ----------------


@pytest.mark.parametrize("body", [b'{"a": 1}[', b"[1, 2]", b"not json"])
def test_post_of_unparsable_json_to_a_new_document_is_refused(lrs, body):
    where = {"activityId": "http://example.com/a/bad", "profileId": str(uuid.uuid4())}
    response = lrs.post_raw("activities/profile", body, "?" + urlencode(where))
    assert response.status_code == 400
    assert lrs.get("activities/profile", where).status_code == 404


def test_post_of_other_content_to_a_new_document_is_still_stored(lrs):
    where = {"activityId": "http://example.com/a/raw", "profileId": "raw"}
    response = lrs.post_raw(
        "activities/profile", b"raw bytes", "?" + urlencode(where), content_type="text/plain"
    )
    assert response.status_code == 204
    assert lrs.get("activities/profile", where).content == b"raw bytes"


# ----- Part Three 2.5: the Activities resource returns the merged (canonical) definition -------

MEETING = "http://www.example.com/verify/complete/merge"


def _meeting(definition: dict) -> dict:
    return statement(object={"objectType": "Activity", "id": MEETING, "definition": definition})


def test_activity_definition_is_merged_across_statements(lrs):
    first = _meeting(
        {
            "name": {"en-US": "example meeting"},
            "type": "http://adlnet.gov/expapi/activities/meeting",
            "extensions": {"http://example.com/ext/a": 1},
        }
    )
    second = _meeting(
        {
            "name": {"fr-FR": "réunion"},
            "description": {"en-US": "a meeting"},
            "extensions": {"http://example.com/ext/b": 2},
        }
    )
    assert lrs.statements([first, second]).status_code == 200
    activity = lrs.get("activities", {"activityId": MEETING}).json()
    assert activity == {
        "objectType": "Activity",
        "id": MEETING,
        "definition": {
            "name": {"en-US": "example meeting", "fr-FR": "réunion"},
            "description": {"en-US": "a meeting"},
            "type": "http://adlnet.gov/expapi/activities/meeting",
            "extensions": {"http://example.com/ext/a": 1, "http://example.com/ext/b": 2},
        },
    }


def test_later_definition_wins_for_the_same_key(lrs):
    assert (
        lrs.statements(
            _meeting({"name": {"en-US": "old"}, "moreInfo": "http://a.example"})
        ).status_code
        == 200
    )
    assert (
        lrs.statements(
            _meeting({"name": {"en-US": "new"}, "moreInfo": "http://b.example"})
        ).status_code
        == 200
    )
    definition = lrs.get("activities", {"activityId": MEETING}).json()["definition"]
    assert definition == {"name": {"en-US": "new"}, "moreInfo": "http://b.example"}


def test_activity_definition_from_context_and_substatement_is_merged(lrs):
    in_context = statement(
        context={
            "contextActivities": {
                "grouping": [{"id": MEETING, "definition": {"name": {"de": "Treffen"}}}]
            }
        }
    )
    sub = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:sub@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": MEETING, "definition": {"name": {"es": "reunión"}}},
    }
    in_sub = statement(object=sub)
    del in_sub["context"]["platform"]
    assert lrs.statements([in_context, in_sub]).status_code == 200
    activity = lrs.get("activities", {"activityId": MEETING}).json()
    assert activity["definition"] == {"name": {"de": "Treffen", "es": "reunión"}}


def test_activity_definition_of_another_platform_is_not_merged(lrs, other_lrs):
    assert other_lrs.statements(_meeting({"name": {"en-US": "theirs"}})).status_code == 200
    assert lrs.get("activities", {"activityId": MEETING}).json() == {
        "objectType": "Activity",
        "id": MEETING,
    }


# ----- Part Three 2.1.3: Groups whose members match the agent ----------------------------------

MEMBER = {"objectType": "Agent", "mbox": "mailto:member@example.com"}
MEMBER_PARAM = orjson.dumps({"mbox": "mailto:member@example.com"}).decode()


def _group(*members) -> dict:
    return {"objectType": "Group", "name": "team", "member": list(members)}


def _non_activity(obj: dict) -> dict:
    data = statement(object=obj)
    del data["context"]["platform"]  # only allowed when the object is an Activity
    return data


def _ids(lrs, **params) -> set:
    response = lrs.get("statements", params)
    assert response.status_code == 200, response.content
    return {s["id"] for s in response.json()["statements"]}


def test_agent_filter_matches_a_group_actor_or_object_with_that_member(lrs):
    other = {"objectType": "Agent", "mbox": "mailto:other@example.com"}
    as_actor = statement(actor=_group(MEMBER, other))
    as_object = _non_activity(_group(other, MEMBER))
    unrelated = statement(actor=_group(other))
    assert lrs.statements([as_actor, as_object, unrelated]).status_code == 200
    assert _ids(lrs, agent=MEMBER_PARAM) == {as_actor["id"], as_object["id"]}


def test_related_agents_matches_group_members_in_context_and_substatements(lrs):
    in_team = statement(context={"team": _group(MEMBER)})
    in_instructor = statement(context={"instructor": _group(MEMBER)})
    sub = {
        "objectType": "SubStatement",
        "actor": _group(MEMBER),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": "http://example.com/a"},
    }
    in_sub = _non_activity(sub)
    assert lrs.statements([in_team, in_instructor, in_sub]).status_code == 200
    assert _ids(lrs, agent=MEMBER_PARAM) == set()
    assert _ids(lrs, agent=MEMBER_PARAM, related_agents="true") == {
        in_team["id"],
        in_instructor["id"],
        in_sub["id"],
    }


def test_activity_definition_is_merged_from_the_latest_statements_only(lrs, monkeypatch):
    from haihe.xapi import query

    monkeypatch.setattr(query, "CANONICAL_FROM_LATEST", 2)
    oldest = _meeting({"name": {"de": "alt"}, "description": {"en-US": "only in the oldest"}})
    assert lrs.statements(oldest).status_code == 200
    assert lrs.statements(_meeting({"name": {"en-US": "second"}})).status_code == 200
    assert lrs.statements(_meeting({"name": {"fr-FR": "troisième"}})).status_code == 200
    definition = lrs.get("activities", {"activityId": MEETING}).json()["definition"]
    assert definition == {"name": {"en-US": "second", "fr-FR": "troisième"}}


# ----- Data 2.4.4.1 (XAPI-00049): interactionType must be one of the vocabulary strings --------


@pytest.mark.parametrize(
    ("interaction", "status"),
    [
        ({"test": "value"}, 400),
        (["choice"], 400),
        (12345, 400),
        ("should fail", 400),
        ("true-false", 200),
    ],
)
def test_interaction_type_that_is_not_a_vocabulary_string_is_400(lrs, interaction, status):
    activity = {
        "objectType": "Activity",
        "id": "http://example.com/activity/interaction",
        "definition": {"interactionType": interaction, "correctResponsesPattern": ["true"]},
    }
    sub = {
        "objectType": "SubStatement",
        "actor": {"objectType": "Agent", "mbox": "mailto:sub@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": activity,
    }
    assert lrs.statements(statement(object=activity)).status_code == status
    assert lrs.statements(_non_activity(sub)).status_code == status
