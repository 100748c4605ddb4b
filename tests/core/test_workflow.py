"""The one state-machine mechanism, exercised on a real model (ImportJob has a status field)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haihe.core.models import AuditEvent, ImportJob
from haihe.core.workflow import Transition, Workflow
from tests.factories import bureau_admin, municipal_reviewer

pytestmark = pytest.mark.django_db


def not_own(user, job):
    return "不能处理自己上传的文件。" if job.uploaded_by_id == user.pk else None


flow = Workflow("testjob")
flow.add(Transition("check", ("queued",), "checking", frozenset({"bureau_admin"})))
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
        kind="people", uploaded_by=bureau_admin(), filename="a", data=b""
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
