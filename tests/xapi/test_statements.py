"""The Statements resource: storing, reading, idempotency, batches, voiding, paging."""

import time
import uuid
from urllib.parse import urlencode

import orjson
import pytest

from haihe.core import clock
from haihe.xapi.models import Statement, StatementRelation
from haihe.xapi.signals import statements_resent, statements_stored
from haihe.xapi.store import iso
from tests.xapi.conftest import statement

pytestmark = pytest.mark.django_db(transaction=False)


def test_post_single_returns_id_and_stores_query_keys(lrs, platform):
    data = statement()
    response = lrs.statements(data)
    assert response.status_code == 200, response.content
    assert response.json() == [data["id"]]
    row = Statement.objects.get(statement_id=data["id"])
    assert row.platform_id == platform.pk
    assert row.actor_key == "account:https://platform-a.example|u1001"
    assert row.verb_id == "http://adlnet.gov/expapi/verbs/terminated"
    assert row.activity_id == data["object"]["id"]
    assert str(row.registration) == data["context"]["registration"]
    assert row.payload["authority"]["account"]["name"] == platform.uscc
    assert row.payload["version"] == "1.0.0"
    assert set(StatementRelation.objects.values_list("key", flat=True)) == {
        "https://platform-a.example/courses/weld-3"
    }


def test_post_without_id_assigns_one(lrs):
    data = statement()
    del data["id"]
    response = lrs.statements(data)
    assert response.status_code == 200
    (assigned,) = response.json()
    assert uuid.UUID(assigned)


def test_get_by_id_returns_stored_statement_with_headers(lrs):
    data = statement()
    lrs.statements(data)
    response = lrs.get("statements", {"statementId": data["id"]})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == data["id"]
    assert body["stored"]
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert response["X-Experience-API-Consistent-Through"]
    assert response["Last-Modified"]


def test_put_stores_and_same_content_is_idempotent(lrs):
    data = statement()
    sid = data.pop("id")
    assert lrs.put("statements", data, f"?statementId={sid}").status_code == 204
    assert lrs.put("statements", data, f"?statementId={sid}").status_code == 204
    assert lrs.statements({**data, "id": sid}).status_code == 200
    assert Statement.objects.filter(statement_id=sid).count() == 1


def test_same_id_with_equivalent_serialisation_is_accepted(lrs):
    data = statement()
    lrs.statements(data)
    again = orjson.loads(orjson.dumps(data))
    again["id"] = data["id"].upper()
    again["timestamp"] = "2020-05-06T01:45:00Z"  # the same instant in UTC
    again["context"]["registration"] = data["context"]["registration"].upper()
    again["verb"]["display"] = {"zh-cn": "结束"}
    response = lrs.statements(again)
    assert response.status_code == 200, response.content
    assert Statement.objects.count() == 1


def test_same_id_different_content_is_409(lrs):
    data = statement()
    lrs.statements(data)
    response = lrs.statements({**data, "result": {"duration": "PT46M"}})
    assert response.status_code == 409
    assert "immutable" in response.json()["message_en"]
    sid = data["id"]
    changed = {**data, "verb": {"id": "http://adlnet.gov/expapi/verbs/initialized"}}
    del changed["id"]
    assert lrs.put("statements", changed, f"?statementId={sid}").status_code == 409


def test_put_requires_matching_statement_id(lrs):
    data = statement()
    assert lrs.put("statements", data).status_code == 400
    assert lrs.put("statements", data, f"?statementId={uuid.uuid4()}").status_code == 400


def test_batch_is_all_or_nothing(lrs):
    good = [statement() for _ in range(5)]
    bad = statement(verb={"id": "not an iri"})
    response = lrs.statements([*good, bad])
    assert response.status_code == 400
    assert "statements[5].verb.id" in response.json()["message_en"]
    assert Statement.objects.count() == 0


def test_batch_with_conflicting_stored_statement_stores_nothing(lrs):
    first = statement()
    lrs.statements(first)
    batch = [statement(), statement(), {**first, "result": {"duration": "PT1H"}}]
    assert lrs.statements(batch).status_code == 409
    assert Statement.objects.count() == 1


def test_batch_with_repeated_id_is_refused(lrs):
    data = statement()
    assert lrs.statements([data, data]).status_code == 400
    assert Statement.objects.count() == 0


def test_signals_sent_inside_the_transaction_with_new_and_resent_pks(
    lrs, platform, django_capture_on_commit_callbacks
):
    """Received although the on-commit callbacks never run: sent inside the transaction."""
    received = []

    def stored(sender, platform_id, statement_pks, **kwargs):
        received.append(("stored", platform_id, statement_pks))

    def resent(sender, platform_id, statement_pks, **kwargs):
        received.append(("resent", platform_id, statement_pks))

    statements_stored.connect(stored)
    statements_resent.connect(resent)
    try:
        batch = [statement() for _ in range(3)]
        with django_capture_on_commit_callbacks(execute=False):
            lrs.statements(batch)
        pks = sorted(Statement.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=False):
            lrs.statements([*batch[1:], statement()])  # two again, one new
    finally:
        statements_stored.disconnect(stored)
        statements_resent.disconnect(resent)
    new = Statement.objects.exclude(pk__in=pks).get().pk
    assert received == [
        ("stored", platform.pk, pks),
        ("stored", platform.pk, [new]),
        ("resent", platform.pk, pks[1:]),
    ]


def test_a_failing_receiver_refuses_the_batch(lrs):
    def broken(sender, **kwargs):
        raise RuntimeError("cannot record the batch")

    statements_stored.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            lrs.statements([statement()])
    finally:
        statements_stored.disconnect(broken)
    assert not Statement.objects.exists()


def test_voiding_hides_the_target_and_returns_it_by_voided_id(lrs):
    target = statement()
    lrs.statements(target)
    voiding = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": target["id"]},
    )
    del voiding["result"]
    voiding["context"].pop("platform")
    voiding["context"].pop("contextActivities")
    assert lrs.statements(voiding).status_code == 200
    assert lrs.get("statements", {"statementId": target["id"]}).status_code == 404
    response = lrs.get("statements", {"voidedStatementId": target["id"]})
    assert response.status_code == 200
    assert response.json()["id"] == target["id"]
    assert lrs.get("statements", {"voidedStatementId": voiding["id"]}).status_code == 404
    ids = [s["id"] for s in lrs.get("statements").json()["statements"]]
    assert ids == [voiding["id"]]


def test_voiding_a_voiding_statement_is_accepted_and_has_no_effect(lrs):
    target = statement()
    voiding = {
        "actor": target["actor"],
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
        "object": {"objectType": "StatementRef", "id": target["id"]},
        "id": str(uuid.uuid4()),
    }
    lrs.statements([target, voiding])
    again = {
        **voiding,
        "id": str(uuid.uuid4()),
        "object": {"objectType": "StatementRef", "id": voiding["id"]},
    }
    assert lrs.statements(again).status_code == 200
    # the first voiding statement stands: still returned by its id, its target still voided
    assert lrs.get("statements", {"statementId": voiding["id"]}).status_code == 200
    assert lrs.get("statements", {"statementId": target["id"]}).status_code == 404
    assert lrs.get("statements", {"voidedStatementId": target["id"]}).status_code == 200
    # the same in one batch
    t2 = statement()
    v1 = {
        **voiding,
        "id": str(uuid.uuid4()),
        "object": {"objectType": "StatementRef", "id": t2["id"]},
    }
    v2 = {
        **voiding,
        "id": str(uuid.uuid4()),
        "object": {"objectType": "StatementRef", "id": v1["id"]},
    }
    assert lrs.statements([t2, v1, v2]).status_code == 200
    assert lrs.get("statements", {"statementId": v1["id"]}).status_code == 200
    assert lrs.get("statements", {"voidedStatementId": t2["id"]}).status_code == 200


def test_voiding_needs_a_statement_ref(lrs):
    data = statement(verb={"id": "http://adlnet.gov/expapi/verbs/voided"})
    assert lrs.statements(data).status_code == 400


def test_query_filters_and_paging(lrs):
    alice = {"account": {"homePage": "https://platform-a.example", "name": "alice"}}
    bob = {"account": {"homePage": "https://platform-a.example", "name": "bob"}}
    batch = [statement(actor=alice) for _ in range(5)] + [statement(actor=bob) for _ in range(3)]
    lrs.statements(batch)
    agent = orjson.dumps(alice).decode()
    response = lrs.get("statements", {"agent": agent, "limit": 2})
    body = response.json()
    assert len(body["statements"]) == 2
    seen = [s["id"] for s in body["statements"]]
    while body["more"]:
        assert body["more"].startswith("/xapi/statements?more=")
        body = lrs.client.get(body["more"], **lrs._headers(None)).json()
        seen += [s["id"] for s in body["statements"]]
    assert sorted(seen) == sorted(s["id"] for s in batch[:5])
    registration = batch[6]["context"]["registration"]
    found = lrs.get("statements", {"registration": registration}).json()["statements"]
    assert [s["id"] for s in found] == [batch[6]["id"]]
    verb = lrs.get("statements", {"verb": "http://adlnet.gov/expapi/verbs/initialized"})
    assert verb.json()["statements"] == []


def test_ascending_since_until(lrs):
    first, second = statement(), statement()
    lrs.statements(first)
    stored_first = Statement.objects.get(statement_id=first["id"]).payload["stored"]
    # `stored` has millisecond precision: let the clock pass it, so `until` can tell them apart
    while iso(clock.real_now()) <= stored_first:
        time.sleep(0.001)
    lrs.statements(second)
    ids = [s["id"] for s in lrs.get("statements", {"ascending": "true"}).json()["statements"]]
    assert ids == [first["id"], second["id"]]
    after = lrs.get("statements", {"since": stored_first}).json()["statements"]
    assert first["id"] not in [s["id"] for s in after]
    until = lrs.get("statements", {"until": stored_first}).json()["statements"]
    assert [s["id"] for s in until] == [first["id"]]


def test_related_activities_and_agents(lrs):
    instructor = {"mbox": "mailto:teacher@example.com"}
    data = statement()
    data["context"]["instructor"] = instructor
    lrs.statements(data)
    parent = "https://platform-a.example/courses/weld-3"
    assert lrs.get("statements", {"activity": parent}).json()["statements"] == []
    related = lrs.get("statements", {"activity": parent, "related_activities": "true"})
    assert [s["id"] for s in related.json()["statements"]] == [data["id"]]
    agent = orjson.dumps(instructor).decode()
    assert lrs.get("statements", {"agent": agent}).json()["statements"] == []
    related = lrs.get("statements", {"agent": agent, "related_agents": "true"})
    assert [s["id"] for s in related.json()["statements"]] == [data["id"]]


def test_statement_ref_targeting_a_match_is_returned(lrs):
    target = statement()
    ref = statement(
        id=str(uuid.uuid4()),
        verb={"id": "http://example.com/verbs/commented"},
        object={"objectType": "StatementRef", "id": target["id"]},
        actor={"mbox": "mailto:other@example.com"},
    )
    ref["context"].pop("platform")
    lrs.statements([target, ref])
    agent = orjson.dumps(target["actor"]).decode()
    ids = {s["id"] for s in lrs.get("statements", {"agent": agent}).json()["statements"]}
    assert ids == {target["id"], ref["id"]}


def test_statement_ref_chains_are_followed_and_other_statements_left_out(lrs):
    """A refers to B refers to C; C matches the agent filter, so B and A match too (Part Three
    2.1.3). D refers to a statement that does not match: left out, like that statement."""
    other = {"mbox": "mailto:other@example.com"}

    def ref(to):
        data = statement(
            id=str(uuid.uuid4()),
            verb={"id": "http://example.com/verbs/commented"},
            object={"objectType": "StatementRef", "id": to["id"]},
            actor=other,
        )
        data["context"].pop("platform")
        return data

    c = statement()
    b = ref(c)
    a = ref(b)
    unrelated = statement(actor={"mbox": "mailto:third@example.com"})
    d = ref(unrelated)
    assert lrs.statements([c, b, a, unrelated, d]).status_code == 200
    agent = orjson.dumps(c["actor"]).decode()
    found = {s["id"] for s in lrs.get("statements", {"agent": agent}).json()["statements"]}
    assert found == {c["id"], b["id"], a["id"]}
    # the whole filter is applied to the target, not to the referring statements: with C's verb
    # they come along, with theirs nothing matches
    found = lrs.get("statements", {"agent": agent, "verb": c["verb"]["id"]}).json()["statements"]
    assert {s["id"] for s in found} == {c["id"], b["id"], a["id"]}
    commented = {"agent": agent, "verb": "http://example.com/verbs/commented"}
    assert lrs.get("statements", commented).json()["statements"] == []


def test_formats(lrs):
    data = statement()
    data["verb"]["display"] = {"en-US": "terminated", "zh-CN": "结束"}
    lrs.statements(data)
    ids = lrs.get("statements", {"statementId": data["id"], "format": "ids"}).json()
    assert ids["actor"] == {"objectType": "Agent", "account": data["actor"]["account"]}
    assert ids["verb"] == {"id": data["verb"]["id"]}
    assert ids["object"] == {"id": data["object"]["id"]}
    canonical = lrs.get(
        "statements",
        {"statementId": data["id"], "format": "canonical"},
        headers={"HTTP_ACCEPT_LANGUAGE": "en-US"},
    ).json()
    assert canonical["verb"]["display"] == {"en-US": "terminated"}
    assert lrs.get("statements", {"format": "full"}).status_code == 400


def test_bad_query_parameters_are_400(lrs):
    assert lrs.get("statements", {"agent": "{not json"}).status_code == 400
    assert lrs.get("statements", {"agent": '{"name": "no ifi"}'}).status_code == 400
    assert lrs.get("statements", {"verb": "no scheme"}).status_code == 400
    assert lrs.get("statements", {"since": "yesterday"}).status_code == 400
    assert lrs.get("statements", {"limit": "-1"}).status_code == 400
    assert lrs.get("statements", {"unknown": "1"}).status_code == 400
    assert lrs.get("statements", {"statementId": "x"}).status_code == 400
    sid = str(uuid.uuid4())
    assert lrs.get("statements", {"statementId": sid, "verb": "http://a.b/c"}).status_code == 400
    assert lrs.get("statements", {"more": "garbage!"}).status_code == 400


def test_version_header_required_and_checked(lrs):
    assert lrs.get("statements", headers={"HTTP_X_EXPERIENCE_API_VERSION": ""}).status_code == 400
    assert (
        lrs.get("statements", headers={"HTTP_X_EXPERIENCE_API_VERSION": "0.95"}).status_code == 400
    )
    assert (
        lrs.get("statements", headers={"HTTP_X_EXPERIENCE_API_VERSION": "1.0"}).status_code == 200
    )
    assert (
        lrs.get("statements", headers={"HTTP_X_EXPERIENCE_API_VERSION": "2.0.0"}).status_code == 400
    )


def test_content_type_and_json_errors(lrs):
    assert lrs.post_raw("statements", b"{nope").status_code == 400
    assert lrs.post_raw("statements", b"{}", content_type="text/plain").status_code == 400
    assert lrs.statements([]).status_code == 400


def test_head_has_no_body(lrs):
    response = lrs.client.head("/xapi/statements", **lrs._headers(None))
    assert response.status_code == 200
    assert response.content == b""


def test_alternate_request_syntax(lrs):
    data = statement()
    sid = data.pop("id")
    form = {
        "statementId": sid,
        "content": orjson.dumps(data).decode(),
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
        "Authorization": lrs.auth["HTTP_AUTHORIZATION"],
    }
    form_type = "application/x-www-form-urlencoded"
    response = lrs.client.post("/xapi/statements?method=PUT", urlencode(form), form_type)
    assert response.status_code == 204, response.content
    get = lrs.client.post(
        "/xapi/statements?method=GET",
        urlencode(
            {
                "statementId": sid,
                "X-Experience-API-Version": "1.0.3",
                "Authorization": lrs.auth["HTTP_AUTHORIZATION"],
            }
        ),
        form_type,
    )
    assert get.json()["id"] == sid
    extra = lrs.client.post(
        "/xapi/statements?method=GET&statementId=" + sid, urlencode(form), form_type
    )
    assert extra.status_code == 400


def test_cors_preflight_and_headers(lrs):
    response = lrs.client.options("/xapi/statements", HTTP_ORIGIN="https://lms.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"  # never with credentials
    assert not response.has_header("Access-Control-Allow-Credentials")
    assert "X-Experience-API-Version" in response["Access-Control-Allow-Headers"]
    got = lrs.get("statements", headers={"HTTP_ORIGIN": "https://lms.example"})
    assert "ETag" in got["Access-Control-Expose-Headers"]


def test_about_needs_no_auth_or_version(client):
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert "1.0.3" in response.json()["version"]


def test_alternate_syntax_uses_real_headers_and_json_content_by_default(lrs):
    form_type = "application/x-www-form-urlencoded"
    response = lrs.client.post(
        "/xapi/statements?method=GET", urlencode({"limit": 1}), form_type, **lrs._headers(None)
    )
    assert response.status_code == 200
    assert set(response.json()) == {"statements", "more"}
    data = statement()
    sid = data.pop("id")
    form = {"statementId": sid, "content": orjson.dumps(data).decode()}
    put = lrs.client.post(
        "/xapi/statements?method=PUT", urlencode(form), form_type, **lrs._headers(None)
    )
    assert put.status_code == 204
    empty = lrs.client.post("/xapi/statements?method=PUT", "", form_type, **lrs._headers(None))
    assert empty.status_code == 400
    not_post = lrs.get("statements", {"method": "POST"})
    assert not_post.status_code == 400


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/xapi/statements"),
        ("DELETE", "/xapi/activities"),
        ("POST", "/xapi/activities"),
        ("PUT", "/xapi/agents"),
        ("PATCH", "/xapi/activities/state"),
    ],
)
def test_methods_not_in_the_specification_are_405_before_authentication(client, method, path):
    response = client.generic(method, path, HTTP_X_EXPERIENCE_API_VERSION="1.0.1")
    assert response.status_code == 405
    assert "GET" in response["Allow"]


def test_parameter_names_are_case_sensitive(lrs):
    for name in ("StatementId", "Verb", "Limit", "Ascending", "Related_Agents"):
        assert lrs.get("statements", {name: "1"}).status_code == 400


def test_nul_characters_are_refused_not_a_database_error(lrs):
    data = statement()
    data["verb"]["display"] = {"zh-CN": "结\u0000束"}
    assert lrs.statements(data).status_code == 400
    assert lrs.get("statements", {"verb": "http://a.example/\x00"}).status_code == 400


def test_malformed_more_cursor_is_400(lrs):
    import base64

    for cursor in ("x", [1], ["2020-01-01T00:00:00Z", "abc"], None):
        token = base64.urlsafe_b64encode(orjson.dumps({"p": {}, "c": cursor})).decode()
        assert lrs.get("statements", {"more": token}).status_code in (200, 400)
    bad = base64.urlsafe_b64encode(orjson.dumps({"p": {}, "c": "x"})).decode()
    assert lrs.get("statements", {"more": bad}).status_code == 400


def test_consistent_through_header_even_on_errors(lrs):
    missing = lrs.get("statements", {"statementId": str(uuid.uuid4())})
    assert missing.status_code == 404
    assert missing["X-Experience-API-Consistent-Through"]
    assert lrs.get("statements", {"foo": "bar"})["X-Experience-API-Consistent-Through"]
