"""`bulk.import_trusted`: Haihe's own statements (the demo's streams) through the bulk insert are
stored exactly as the LRS stores what platforms send, and found by the same queries."""

import orjson
import pytest

from haihe.xapi.bulk import import_trusted
from haihe.xapi.models import Statement, StatementRelation
from tests.xapi.conftest import statement

pytestmark = pytest.mark.django_db


def test_imported_statements_are_stored_like_sent_ones(platform, lrs):
    sent, imported = statement(), statement()
    imported["actor"] = {"account": {"homePage": "https://platform-a.example", "name": "u7"}}
    assert lrs.statements(sent).status_code == 200
    [(pk, item)] = import_trusted(platform, [imported])
    row = Statement.objects.get(pk=pk)
    assert str(row.statement_id) == imported["id"] == item.statement_id
    reference = Statement.objects.get(statement_id=sent["id"])
    for column in ("verb_id", "activity_id", "activity_hash", "platform_id"):
        assert getattr(row, column) == getattr(reference, column), column
    assert row.payload["authority"] == reference.payload["authority"]
    assert set(row.payload) == set(reference.payload)
    relations = set(StatementRelation.objects.filter(statement=row).values_list("kind", "key"))
    assert relations == set(
        StatementRelation.objects.filter(statement=reference).values_list("kind", "key")
    )
    agent = orjson.dumps({"account": imported["actor"]["account"]}).decode()
    found = lrs.get("statements", {"agent": agent}).json()["statements"]
    assert [s["id"] for s in found] == [imported["id"]]
    registration = imported["context"]["registration"]
    found = lrs.get("statements", {"registration": registration}).json()["statements"]
    assert [s["id"] for s in found] == [imported["id"]]


def test_statements_sharing_actor_object_and_context_share_relations_only_then(platform):
    first = statement()
    same_parts = {**first, "id": statement()["id"]}  # the same actor, object, context objects
    other_context = statement(
        context={"contextActivities": {"grouping": [{"id": "https://x.example/g"}]}}
    )
    result = import_trusted(platform, [first, same_parts, other_context])
    relations = [item.relations for _pk, item in result]
    assert relations[0] is relations[1]
    assert ("a", "https://x.example/g") in relations[2]
    assert ("a", "https://x.example/g") not in relations[0]
