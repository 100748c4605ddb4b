"""The profile document's examples and the reference statements are valid xAPI 1.0.3, and
verification reads them as the document says."""

import datetime
import json
import re
from pathlib import Path

import pytest

from haihe.supervision import profile
from haihe.supervision import statements as st
from haihe.xapi.validation import check_statement

DOC = Path(__file__).resolve().parents[2] / "docs" / "xapi-profile.md"


def _examples() -> list[dict]:
    blocks = re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    return [json.loads(b) for b in blocks if b.lstrip().startswith("{\n")]


def test_every_full_example_in_the_document_is_a_valid_statement():
    examples = _examples()
    assert len(examples) == 4
    for example in examples:
        check_statement(example)


def test_document_examples_play_their_roles():
    roles = []
    for example in _examples():
        record = profile.to_record(
            pk=1,
            statement_id=example["id"],
            platform_id=1,
            actor_key="x",
            registration=(example.get("context") or {}).get("registration"),
            verb_id=example["verb"]["id"],
            timestamp=datetime.datetime.fromisoformat(example["timestamp"]),
            payload=example,
        )
        roles.append(record.role)
        if record.role == profile.REGISTER:
            assert record.ric == "120101199003071235" and record.real_name == "张三"
        if record.role == profile.FACE:
            assert record.success is True and record.session_id
    assert roles == [profile.REGISTER, profile.START, profile.FACE, profile.ASSESS]


@pytest.mark.parametrize("claimed", [None, 1800])
def test_reference_statements_are_valid(claimed):
    tz = datetime.timezone(datetime.timedelta(hours=8))
    start = datetime.datetime(2020, 5, 11, 9, tzinfo=tz)
    out = st.session_statements(
        home_page="https://learn.example.cn/",
        account="u1",
        registration="9b2f1c4e-5d6a-4e8f-8a1b-2c3d4e5f6a7b",
        course_id="https://learn.example.cn/courses/1",
        lesson_id="https://learn.example.cn/lessons/1",
        start=start,
        end=start + datetime.timedelta(hours=1),
        checks=[(start, True), (start + datetime.timedelta(minutes=30), False)],
        claimed_seconds=claimed,
    )
    out.append(
        st.real_name_registration(
            home_page="https://learn.example.cn/",
            account="u1",
            ric="120101199003071235",
            real_name="张三",
            at=start,
        )
    )
    out.append(
        st.assessment(
            home_page="https://learn.example.cn/",
            account="u1",
            registration="9b2f1c4e-5d6a-4e8f-8a1b-2c3d4e5f6a7b",
            course_id="https://learn.example.cn/courses/1",
            at=start,
            score=59,
        )
    )
    out.append(st.voiding(home_page="https://learn.example.cn/", operator="ops",
                          target_id=out[0]["id"]))  # fmt: skip
    for statement in out:
        check_statement(statement)
    assert [s["verb"]["id"] for s in out].count(profile.VERB_FACE_VERIFIED) == 2
    assert out[-2]["verb"]["id"] == profile.VERB_FAILED
