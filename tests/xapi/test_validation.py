"""Validation of statements (xAPI 1.0.3 Part Two): each MUST gives a precise 400, never a 500."""

import copy
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haihe.xapi.errors import XAPIError
from haihe.xapi.validation import (
    check_duration,
    check_iri,
    check_language_tag,
    check_statement,
    check_uuid,
    parse_timestamp,
)
from tests.xapi.conftest import statement

ACTOR = {"mbox": "mailto:a@example.com"}


def invalid(mutate) -> str:
    data = statement()
    mutate(data)
    with pytest.raises(XAPIError) as caught:
        check_statement(data)
    return caught.value.path


def test_realistic_statement_is_valid():
    assert check_statement(statement())


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda s: s.pop("actor"), "statement.actor"),
        (lambda s: s.pop("verb"), "statement.verb"),
        (lambda s: s.pop("object"), "statement.object"),
        (lambda s: s.update(id="not-a-uuid"), "statement.id"),
        (lambda s: s.update(extra=1), "statement.extra"),
        (lambda s: s.update(result=None), "statement.result"),
        (lambda s: s["actor"].update(mbox="mailto:b@example.com"), "statement.actor"),
        (lambda s: s.update(actor={"name": "no ifi"}), "statement.actor"),
        (lambda s: s.update(actor={"mbox": "a@example.com"}), "statement.actor.mbox"),
        (lambda s: s.update(actor={"mbox_sha1sum": "xyz"}), "statement.actor.mbox_sha1sum"),
        (lambda s: s.update(actor={"openid": "no scheme"}), "statement.actor.openid"),
        (
            lambda s: s.update(actor={"account": {"homePage": "nope", "name": "u"}}),
            "statement.actor.account.homePage",
        ),
        (
            lambda s: s.update(actor={"account": {"homePage": "http://a.b"}}),
            "statement.actor.account",
        ),
        (lambda s: s.update(actor={"objectType": "Group"}), "statement.actor.member"),
        (
            lambda s: s.update(
                actor={"objectType": "Group", "member": [{"objectType": "Group", **ACTOR}]}
            ),
            "statement.actor.member[0]",
        ),
        (lambda s: s.update(actor={"objectType": "Person", **ACTOR}), "statement.actor.objectType"),
        (lambda s: s["verb"].update(id="no scheme"), "statement.verb.id"),
        (
            lambda s: s["verb"].update(display={"not a tag!": "x"}),
            "statement.verb.display.not a tag!",
        ),
        (lambda s: s["verb"].update(display={"en-US": 5}), "statement.verb.display.en-US"),
        (lambda s: s["verb"].pop("id"), "statement.verb.id"),
        (lambda s: s["object"].update(objectType="Thing"), "statement.object.objectType"),
        (lambda s: s["object"].pop("id"), "statement.object.id"),
        (
            lambda s: s["object"]["definition"].update(type="lesson"),
            "statement.object.definition.type",
        ),
        (
            lambda s: s["object"]["definition"].update(interactionType="essay"),
            "statement.object.definition.interactionType",
        ),
        (
            lambda s: s["object"]["definition"].update(choices=[{"id": "a"}]),
            "statement.object.definition.choices",
        ),
        (
            lambda s: s["object"]["definition"].update(extensions={"not-iri": 1}),
            "statement.object.definition.extensions.not-iri",
        ),
        (lambda s: s.update(object={"objectType": "Agent", "name": "x"}), "statement.object"),
        (
            lambda s: s.update(object={"objectType": "StatementRef", "id": "x"}),
            "statement.object.id",
        ),
        (lambda s: s.update(timestamp="yesterday"), "statement.timestamp"),
        (lambda s: s.update(timestamp="2020-05-06T09:45:00.601-00:00"), "statement.timestamp"),
        (lambda s: s.update(timestamp="2020-13-06T09:45:00Z"), "statement.timestamp"),
        (lambda s: s.update(version="2.0.0"), "statement.version"),
        (lambda s: s.update(authority={"name": "x"}), "statement.authority"),
        (lambda s: s["result"].update(duration="45 minutes"), "statement.result.duration"),
        (lambda s: s["result"].update(success="yes"), "statement.result.success"),
        (lambda s: s["result"].update(score={"scaled": 1.5}), "statement.result.score.scaled"),
        (lambda s: s["result"].update(score={"min": 5, "max": 5}), "statement.result.score"),
        (lambda s: s["result"].update(score={"raw": 11, "max": 10}), "statement.result.score.raw"),
        (lambda s: s["result"].update(score={"raw": -1, "min": 0}), "statement.result.score.raw"),
        (lambda s: s["result"].update(score={"raw": "10"}), "statement.result.score.raw"),
        (lambda s: s["context"].update(registration="r-1"), "statement.context.registration"),
        (lambda s: s["context"].update(language="???"), "statement.context.language"),
        (lambda s: s["context"].update(team=ACTOR), "statement.context.team"),
        (
            lambda s: s["context"].update(contextActivities={"sibling": []}),
            "statement.context.contextActivities.sibling",
        ),
        (
            lambda s: s["context"].update(contextActivities={"parent": [{"id": "x"}]}),
            "statement.context.contextActivities.parent[0].id",
        ),
        (
            lambda s: s["context"].update(statement={"id": str(uuid.uuid4())}),
            "statement.context.objectType",
        ),
        (
            lambda s: s.update(object={"objectType": "Agent", **ACTOR}),
            "statement.context.platform",  # revision/platform only with an Activity object
        ),
        (
            lambda s: s.update(attachments=[{"usageType": "http://a.b/c", "display": {"en": "x"}}]),
            "statement.attachments[0].contentType",
        ),
        (
            lambda s: s.update(
                attachments=[
                    {
                        "usageType": "http://a.b/c",
                        "display": {"en": "x"},
                        "contentType": "text/plain",
                        "length": -1,
                        "sha2": "0" * 64,
                    }
                ]
            ),
            "statement.attachments[0].length",
        ),
    ],
)
def test_each_rule_names_the_offending_property(mutate, path):
    assert invalid(mutate) == path


def _substatement(**overrides):
    sub = {
        "objectType": "SubStatement",
        "actor": ACTOR,
        "verb": {"id": "http://example.com/verbs/plans"},
        "object": {"id": "http://example.com/activities/a"},
    }
    sub.update(overrides)
    return sub


@pytest.mark.parametrize(
    ("sub", "path"),
    [
        (_substatement(id=str(uuid.uuid4())), "statement.object.id"),
        (_substatement(stored="2020-01-01T00:00:00Z"), "statement.object.stored"),
        (_substatement(version="1.0.0"), "statement.object.version"),
        (_substatement(authority=ACTOR), "statement.object.authority"),
        (_substatement(object=_substatement()), "statement.object.object"),
        (_substatement(actor={"name": "x"}), "statement.object.actor"),
    ],
)
def test_substatement_rules(sub, path):
    data = statement(object=sub)
    data["context"].pop("platform")
    with pytest.raises(XAPIError) as caught:
        check_statement(data)
    assert caught.value.path == path


def test_valid_substatement_and_groups():
    data = statement(object=_substatement(), actor={"objectType": "Group", "member": [ACTOR]})
    data["context"].pop("platform")
    data["context"]["team"] = {"objectType": "Group", "mbox": "mailto:team@example.com"}
    data["context"]["instructor"] = {"openid": "http://openid.example/teacher"}
    assert check_statement(data)


@pytest.mark.parametrize(
    "value",
    [
        "2020-05-06T09:45:00Z",
        "2020-05-06T09:45:00.123456+08:00",
        "2020-05-06T09:45:00+0800",
        "20200506T094500Z",
        "2020-05-06T09:45Z",
        "2020-05-06T09:45:00",
        "2020-05-06T09:45:00-05",
    ],
)
def test_timestamps_accepted(value):
    assert parse_timestamp(value, "t").tzinfo is not None


@pytest.mark.parametrize(
    "value",
    [
        "",
        "2020-05-06",
        "01/011/2015",
        "2020-05-06 09:45:00Z",
        "2020-05-06T25:00:00Z",
        "2020-02-30T00:00:00Z",
        "2020-05-06T09:45:00-0000",
        "2020-05-06T09:45:00-00",
        20200506,
    ],
)
def test_timestamps_refused(value):
    with pytest.raises(XAPIError):
        parse_timestamp(value, "t")


@pytest.mark.parametrize("value", ["PT45M", "P1DT2H", "PT0.5S", "P3W", "P1Y2M3DT4H5M6.7S", "PT1H"])
def test_durations_accepted(value):
    assert check_duration(value, "d") == value


@pytest.mark.parametrize("value", ["P", "PT", "45M", "PT1H2", "P1H", "PT-1M", "", "P1WT1H"])
def test_durations_refused(value):
    with pytest.raises(XAPIError):
        check_duration(value, "d")


@pytest.mark.parametrize("value", ["en", "en-US", "zh-Hans-CN", "zh-CN", "x-private", "de-CH-1996"])
def test_language_tags_accepted(value):
    assert check_language_tag(value, "l") == value


@pytest.mark.parametrize("value", ["", "e", "en_US", "english language", "en-", "123"])
def test_language_tags_refused(value):
    with pytest.raises(XAPIError):
        check_language_tag(value, "l")


@given(st.uuids())
def test_any_uuid_is_accepted_in_either_case(value):
    assert check_uuid(str(value).upper(), "u")


@given(st.text(max_size=40).filter(lambda t: len(t) != 36))
def test_strings_of_the_wrong_length_are_not_uuids(value):
    with pytest.raises(XAPIError):
        check_uuid(value, "u")


@given(st.from_regex(r"\A[a-z][a-z0-9+.-]{0,8}:[A-Za-z0-9/._~%-]{1,30}\Z"))
def test_scheme_iris_are_accepted(value):
    assert check_iri(value, "i") == value


@given(st.text(alphabet=st.characters(blacklist_characters=":"), max_size=30))
def test_strings_without_scheme_are_not_iris(value):
    with pytest.raises(XAPIError):
        check_iri(value, "i")


@given(
    scaled=st.floats(allow_nan=False, allow_infinity=False),
    low=st.integers(-1000, 1000),
    span=st.integers(-5, 1000),
    raw=st.integers(-2000, 2000),
)
@settings(max_examples=200)
def test_score_rules_at_their_edges(scaled, low, span, raw):
    data = statement()
    data["result"]["score"] = {"scaled": scaled, "min": low, "max": low + span, "raw": raw}
    valid = -1 <= scaled <= 1 and span > 0 and low <= raw <= low + span
    if valid:
        assert check_statement(data)
    else:
        with pytest.raises(XAPIError):
            check_statement(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)


@given(
    path=st.sampled_from(
        [
            "actor",
            "verb",
            "object",
            "result",
            "context",
            "timestamp",
            "attachments",
            "authority",
            "version",
            "id",
        ]
    ),
    value=json_values,
)
@settings(max_examples=300, deadline=None)
def test_arbitrary_values_never_crash_the_validator(path, value):
    data = copy.deepcopy(statement())
    data[path] = value
    try:
        check_statement(data)
    except XAPIError as error:
        assert error.status == 400
        assert error.path.startswith("statement")


@pytest.mark.django_db
@given(body=json_values)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_arbitrary_bodies_get_a_clear_400_not_a_500(lrs, body):
    response = lrs.post_raw("statements", json.dumps(body).encode())
    assert response.status_code == 400
    assert response.json()["message_en"]


def _rich_statement() -> dict:
    """A valid statement that uses most of the structure the validator walks."""
    data = statement()
    data["object"]["definition"].update(
        {
            "description": {"zh-CN": "单选题"},
            "interactionType": "choice",
            "correctResponsesPattern": ["a"],
            "choices": [{"id": "a", "description": {"zh-CN": "甲"}}, {"id": "b"}],
            "extensions": {"https://haihe.example/ext/level": 3},
        }
    )
    data["result"] = {
        "score": {"scaled": 0.5, "raw": 5, "min": 0, "max": 10},
        "success": True,
        "duration": "PT45M",
    }
    data["context"]["instructor"] = {
        "objectType": "Group",
        "member": [{"mbox": "mailto:teacher@example.com"}],
    }
    data["context"]["contextActivities"]["grouping"] = [{"id": "https://haihe.example/g"}]
    return data


def _paths(node, prefix=()):
    """Every path to a value inside the statement (dict keys and list indexes)."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


RICH_PATHS = [p for p in _paths(_rich_statement()) if p]


@given(path=st.sampled_from(RICH_PATHS), value=json_values)
@settings(max_examples=600, deadline=None)
def test_any_part_replaced_by_arbitrary_json_is_a_400_never_a_crash(path, value):
    """Whatever a platform puts anywhere in a statement, the validator answers with a 400 naming
    a path, or accepts it; it never raises anything else (an interactionType given as an object
    once escaped as a TypeError, i.e. a 500)."""
    data = _rich_statement()
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    try:
        check_statement(data)
    except XAPIError as error:
        assert error.status == 400
        assert error.path.startswith("statement")
