"""The one state-machine mechanism, exercised on a real model (ImportJob has a status field)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haihe.core.models import AuditEvent, ImportJob
from haihe.core.workflow import (
    Transition,
    TransitionForbidden,
    TransitionNotPossible,
    Workflow,
    forbidden,
    not_now,
)
from tests.factories import bureau_admin, municipal_reviewer

pytestmark = pytest.mark.django_db


def not_own(user, job):
    return forbidden("不能处理自己上传的文件。") if job.uploaded_by_id == user.pk else None


def has_rows(user, job):
    return not_now("文件没有数据行。") if not job.total_rows else None


flow = Workflow("testjob", initial=("queued",))
flow.add(Transition("check", ("queued",), "checking", frozenset({"bureau_admin"}), guard=has_rows))
flow.add(Transition("finish", ("checking",), "done", system=True))
flow.add(
    Transition(
        "fail",
        ("checking",),
        "failed",
        frozenset({"municipal_reviewer"}),
        guard=not_own,
        needs_reason=True,
    )
)


@pytest.fixture
def job():
    return ImportJob.objects.create(
        kind="people", uploaded_by=bureau_admin(), filename="a", data=b"", total_rows=3
    )


def test_transition_changes_state_and_is_audited(job):
    flow.apply(actor=job.uploaded_by, obj=job, name="check")
    assert job.status == "checking"
    event = AuditEvent.objects.get(action="testjob.check")
    assert event.data["from"] == "queued" and event.data["to"] == "checking"


def test_wrong_state_wrong_role_guard_and_reason(job):
    reviewer = municipal_reviewer()
    with pytest.raises(ValidationError):
        flow.apply(actor=reviewer, obj=job, name="fail", reason="x")  # wrong state
    with pytest.raises(PermissionDenied):
        flow.apply(actor=reviewer, obj=job, name="check")  # wrong role
    flow.apply(actor=job.uploaded_by, obj=job, name="check")
    job.uploaded_by = reviewer
    job.save()
    with pytest.raises(PermissionDenied):
        flow.apply(actor=reviewer, obj=job, name="fail", reason="x")  # guard: own upload
    other = municipal_reviewer()
    with pytest.raises(ValidationError):
        flow.apply(actor=other, obj=job, name="fail", reason=" ")
    flow.apply(actor=other, obj=job, name="fail", reason="格式错误")
    assert ImportJob.objects.get(pk=job.pk).status == "failed"
    assert [t.name for t in flow.available(other, job)] == []


def test_available_lists_what_the_user_may_do(job):
    assert [t.name for t in flow.available(job.uploaded_by, job)] == ["check"]
    assert flow.available(municipal_reviewer(), job) == []


def test_refusals_say_forbidden_or_not_possible_now(job):
    reviewer = municipal_reviewer()
    with pytest.raises(TransitionForbidden):
        flow.apply(actor=reviewer, obj=job, name="check")  # the role: 403
    job.total_rows = 0
    job.save()
    with pytest.raises(TransitionNotPossible) as caught:
        flow.apply(actor=job.uploaded_by, obj=job, name="check")  # the situation: 409
    assert caught.value.code == "not_possible_now"
    assert "没有数据行" in caught.value.messages[0]
    assert ImportJob.objects.get(pk=job.pk).status == "queued"


def test_a_guard_must_return_a_refusal(job):
    loose = Workflow("loose")
    loose.add(
        Transition(
            "go", ("queued",), "checking", frozenset({"bureau_admin"}), guard=lambda u, o: "no"
        )
    )
    with pytest.raises(TypeError):
        loose.refusal(job.uploaded_by, job, "go")


def test_system_transitions_are_the_platforms_alone(job):
    flow.apply(actor=job.uploaded_by, obj=job, name="check")
    with pytest.raises(TransitionForbidden):
        flow.apply(actor=job.uploaded_by, obj=job, name="finish")
    flow.apply(actor=None, obj=job, name="finish", channel="task")
    event = AuditEvent.objects.get(action="testjob.finish")
    assert event.actor is None and event.channel == "task"
    assert "finish" not in [t.name for t in flow.available(job.uploaded_by, job)]


def test_can_comes_from_the_declaration(job):
    can_check = flow.can("check")
    assert can_check(job.uploaded_by, job)
    assert not can_check(municipal_reviewer(), job)
    with pytest.raises(ValueError):
        flow.can("nothing")


def test_bulk_transition_is_one_update_with_an_event_per_object(job, django_assert_num_queries):
    admin = job.uploaded_by
    others = [
        ImportJob.objects.create(
            kind="people", uploaded_by=admin, filename=f"b{i}", data=b"", total_rows=1
        )
        for i in range(3)
    ]
    ids = [job.pk] + [o.pk for o in others]
    done = flow.apply_bulk(
        actor=admin,
        queryset=ImportJob.objects.filter(pk__in=ids),
        name="check",
        data_for=lambda j: {"file": j.filename},
    )
    assert len(done) == 4
    assert set(ImportJob.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "checking"
    }
    events = AuditEvent.objects.filter(action="testjob.check")
    assert events.count() == 4
    assert {e.data["file"] for e in events} == {"a", "b0", "b1", "b2"}


def test_bulk_transition_is_all_or_nothing(job):
    admin = job.uploaded_by
    empty = ImportJob.objects.create(kind="people", uploaded_by=admin, filename="e", data=b"")
    with pytest.raises(TransitionNotPossible) as caught:
        flow.apply_bulk(
            actor=admin, queryset=ImportJob.objects.filter(pk__in=[job.pk, empty.pk]), name="check"
        )
    assert "e" in caught.value.messages[0]
    assert ImportJob.objects.get(pk=job.pk).status == "queued"
    assert not AuditEvent.objects.filter(action="testjob.check").exists()


def test_start_and_restore_only_in_declared_states(job):
    fresh = ImportJob(kind="people", uploaded_by=job.uploaded_by, filename="n", data=b"")
    flow.start(fresh)
    assert fresh.status == "queued"
    with pytest.raises(ValueError):
        flow.start(ImportJob(kind="people", uploaded_by=job.uploaded_by, filename="n"), "done")
    with pytest.raises(ValueError):
        flow.start(job)  # already saved
    flow.restore([fresh], "done")
    assert fresh.status == "done"
    with pytest.raises(ValueError):
        flow.restore([fresh], "lost")
