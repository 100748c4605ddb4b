"""Actors, activities and registrations are indexed by an 8-byte digest (`keys.key_hash`): the
filters must still match on the exact value, and migration 0003 fills the digests of statements
stored before it."""

import importlib
import uuid

import orjson
import pytest
from django.apps import apps

from haihe.xapi.keys import key_hash
from haihe.xapi.models import Statement
from tests.xapi.conftest import statement

pytestmark = pytest.mark.django_db


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [s["id"] for s in orjson.loads(response.content)["statements"]]


def test_digest_is_stable_signed_64_bit_and_none_for_no_key():
    digest = key_hash("account:https://platform-a.example|u1001")
    assert digest == key_hash("account:https://platform-a.example|u1001")
    assert -(2**63) <= digest < 2**63
    assert digest != key_hash("account:https://platform-a.example|u1002")
    assert key_hash("") is None
    assert key_hash(None) is None


def test_stored_statement_carries_the_digests(lrs):
    data = statement()
    assert lrs.statements(data).status_code == 200
    row = Statement.objects.get(statement_id=data["id"])
    assert row.actor_hash == key_hash(row.actor_key)
    assert row.activity_hash == key_hash(data["object"]["id"])
    assert row.registration_hash == key_hash(data["context"]["registration"])


def test_a_digest_collision_does_not_leak_another_agents_statements(lrs):
    """Force the worst case: another learner's row carries the same digest. The exact key still
    decides, for the agent, activity and registration filters alike."""
    mine, theirs = statement(), statement()
    theirs["actor"] = {"account": {"homePage": "https://platform-a.example", "name": "u2002"}}
    theirs["object"] = {"id": "https://platform-a.example/courses/other"}
    assert lrs.statements([mine, theirs]).status_code == 200
    me = Statement.objects.get(statement_id=mine["id"])
    Statement.objects.filter(statement_id=theirs["id"]).update(
        actor_hash=me.actor_hash,
        activity_hash=me.activity_hash,
        registration_hash=me.registration_hash,
    )
    agent = orjson.dumps({"account": mine["actor"]["account"]}).decode()
    assert ids(lrs.get("statements", {"agent": agent})) == [mine["id"]]
    assert ids(lrs.get("statements", {"activity": mine["object"]["id"]})) == [mine["id"]]
    registration = mine["context"]["registration"]
    assert ids(lrs.get("statements", {"registration": registration})) == [mine["id"]]


def test_registration_filter_is_case_insensitive(lrs):
    data = statement()
    data["context"]["registration"] = str(uuid.uuid4()).upper()
    assert lrs.statements(data).status_code == 200
    found = ids(lrs.get("statements", {"registration": data["context"]["registration"].lower()}))
    assert found == [data["id"]]


def test_migration_fills_the_digests_of_earlier_statements(lrs):
    data = [statement() for _ in range(3)]
    data[2]["object"] = {"objectType": "StatementRef", "id": data[0]["id"]}
    del data[2]["context"]["registration"]
    del data[2]["context"]["platform"]
    assert lrs.statements(data).status_code == 200
    Statement.objects.update(actor_hash=None, activity_hash=None, registration_hash=None)
    migration = importlib.import_module("haihe.xapi.migrations.0004_fill_statement_key_digests")
    migration.fill_hashes(apps, None)
    for row in Statement.objects.all():
        assert row.actor_hash == key_hash(row.actor_key)
        assert row.activity_hash == key_hash(row.activity_id)
        assert row.registration_hash == key_hash(
            str(row.registration) if row.registration else None
        )
    ref = Statement.objects.get(statement_id=data[2]["id"])
    assert ref.activity_hash is None and ref.registration_hash is None


def test_migration_adds_the_member_relations_of_earlier_statements(lrs):
    from haihe.xapi.keys import MEMBER_RELATION
    from haihe.xapi.models import StatementRelation

    member = {"mbox": "mailto:member@example.com"}
    group = statement(
        actor={"objectType": "Group", "name": "学习小组", "member": [member]},
        context={"instructor": {"objectType": "Group", "member": [{"mbox": "mailto:t@x.cn"}]}},
    )
    plain = statement()
    assert lrs.statements([group, plain]).status_code == 200
    kept = set(StatementRelation.objects.values_list("statement_id", "kind", "key"))
    StatementRelation.objects.filter(kind=MEMBER_RELATION).delete()
    StatementRelation.objects.filter(key="mbox:mailto:t@x.cn").delete()
    migration = importlib.import_module("haihe.xapi.migrations.0006_statement_member_relations")
    migration.add_missing_relations(apps, None)
    assert set(StatementRelation.objects.values_list("statement_id", "kind", "key")) == kept
    migration.add_missing_relations(apps, None)  # again: nothing twice
    assert StatementRelation.objects.count() == len(kept)
    agent = orjson.dumps(member).decode()
    assert ids(lrs.get("statements", {"agent": agent})) == [group["id"]]
