"""The audit trail as sentences (haihe.core.audit_display): per action, in both languages, with
the status change and changed fields in words."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from haihe.core import audit_display
from haihe.core.audit import log_action
from tests.factories import bureau_admin, district_reviewer, org_admin
from tests.subsidies import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def klass(districts):
    return f.training_class(f.institution(districts["120101"]), name="数控车工四级班")


def _texts(event):
    rows = [
        (c.label, c.old, c.new) if c.old is not None else (c.label, c.new)
        for c in audit_display.changes(event)
    ]
    return str(audit_display.sentence(event)), rows


def test_a_workflow_transition_reads_as_a_sentence_with_its_status_change(klass, districts):
    reviewer = district_reviewer(districts["120101"], username="hp-reviewer")
    event = log_action(
        actor=reviewer,
        action="training_class.approve",
        target=klass,
        data={"from": "submitted", "to": "approved", "reason": ""},
    )
    with translation.override("zh-hans"):
        assert _texts(event) == (
            "hp-reviewer 审核通过了培训班 数控车工四级班 的开班备案",
            [("状态", "待审核", "已备案")],
        )
    with translation.override("en"):
        sentence, rows = _texts(event)
        assert sentence == "hp-reviewer approved class 数控车工四级班"
        assert rows == [("Status", "Awaiting review", "Approved")]


def test_changed_fields_show_their_verbose_names_old_and_new(klass):
    event = log_action(
        actor=bureau_admin(username="admin1"),
        action="training_class.updated",
        target=klass,
        data={"capacity": [30, 40], "mode": ["offline", "online"]},
    )
    with translation.override("zh-hans"):
        sentence, rows = _texts(event)
        assert sentence == "admin1 修改了培训班 数控车工四级班"
        assert ("计划人数", "30", "40") in rows and ("培训方式", "线下", "线上") in rows
    with translation.override("en"):
        sentence, rows = _texts(event)
        assert sentence == "admin1 changed class 数控车工四级班"
        assert ("Mode", "Offline", "Online") in rows or ("30", "40") in [r[1:] for r in rows]
        assert all(label.isascii() for label, *_values in rows)


def test_a_reason_and_other_facts_are_shown_and_the_system_is_named(klass):
    event = log_action(
        actor=None,
        action="training_class.return",
        target=klass,
        data={"from": "submitted", "to": "returned", "reason": "材料不全"},
    )
    with translation.override("zh-hans"):
        sentence, rows = _texts(event)
        assert sentence.startswith("系统 退回了培训班")
        assert ("理由", "材料不全") in rows
    with translation.override("en"):
        assert str(audit_display.sentence(event)).startswith("The system returned class")


def test_an_unknown_action_falls_back_to_a_generic_sentence_and_labels_are_escaped(klass):
    klass.name = "<script>alert(1)</script>"
    event = log_action(actor=bureau_admin(username="admin2"), action="nobody.knows", target=klass)
    with translation.override("zh-hans"):
        sentence = str(audit_display.sentence(event))
    assert "nobody.knows" in sentence and "admin2" in sentence
    assert "<script>" not in sentence and "&lt;script&gt;" in sentence
    assert "<script>" in audit_display.plain(event)  # the CSV is plain text


def test_import_codes_have_a_sentence_by_their_family():
    assert audit_display.text_for("import.people") is not None


def test_the_trail_and_the_audit_log_show_sentences_and_the_csv_keeps_the_code(
    client, klass, districts
):
    log_action(
        actor=org_admin(klass.organisation, username="filer1"),
        action="training_class.submit",
        target=klass,
        data={"from": "draft", "to": "submitted", "reason": ""},
    )
    admin = bureau_admin()
    client.force_login(admin)
    detail = client.get(reverse("training:class", args=[klass.pk])).content.decode()
    assert "filer1 提交了培训班 数控车工四级班 的开班备案" in detail
    assert "草稿 → 待审核" in detail
    log = client.get(reverse("core:audit")).content.decode()
    assert "filer1 提交了培训班" in log and "<code>training_class.submit</code>" in log
    assert "网页" in log  # the channel in words
    client.cookies["django_language"] = "en"
    log_en = client.get(reverse("core:audit"), headers={"accept-language": "en"}).content.decode()
    assert "filer1 submitted class" in log_en
    export = client.get(reverse("core:audit_export")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(export)))
    header, first = rows[0], rows[1]
    assert first[header.index("Action")] == "training_class.submit"
    assert first[header.index("Notes")].startswith("filer1 submitted class")
    assert "→" in first[header.index("Changes")]
