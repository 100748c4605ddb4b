"""A stored batch is processed exactly once in effect: its pending row commits with it, the sweep
processes what a lost task left, processing again changes nothing, and a re-sent batch that is
still pending is processed."""

from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command

from haihe.supervision import processing, services
from haihe.supervision import statements as st
from haihe.supervision.models import LearnerAccount, PendingStatements
from haihe.xapi import services as xapi_services
from haihe.xapi.auth import Principal
from haihe.xapi.models import Statement
from haihe.xapi.store import store_statements
from tests.supervision.test_processing import _snapshot
from tests.xapi.conftest import XAPIClient

pytestmark = pytest.mark.django_db


def store_without_processing(world, statements, platform=None):
    """Store a batch and lose its task: the transaction commits, the on-commit hooks never run
    (the process died right after the commit)."""
    platform = platform or world.platform
    principal = Principal(platform_id=platform.pk, credential_id=None,
                          platform_uscc=platform.uscc)  # fmt: skip
    with world.capture(execute=False) as callbacks:
        store_statements(principal, statements)
    assert callbacks, "the batch's processing is enqueued on commit"


def registration(world, person):
    return st.real_name_registration(
        home_page=world.home(world.platform),
        account=f"u{person.pk}",
        ric=person.ric,
        real_name=person.name,
        at=world.at(8),
    )


def session(world):
    return world.session(world.at(9), world.at(10, 30), send=False)


def test_the_pending_row_commits_with_the_batch(world):
    store_without_processing(world, [registration(world, world.person)])
    row = PendingStatements.objects.get()
    pks = list(Statement.objects.order_by("pk").values_list("pk", flat=True))
    assert row.statement_pks == pks
    assert (row.first_pk, row.last_pk) == (pks[0], pks[-1])
    assert row.platform == world.platform and row.people is None


def test_a_refused_batch_leaves_no_pending_row(world):
    store_without_processing(world, [registration(world, world.person)])
    from haihe.xapi.errors import XAPIError

    principal = Principal(platform_id=world.platform2.pk, credential_id=None,
                          platform_uscc=world.platform2.uscc)  # fmt: skip
    stored = Statement.objects.values_list("statement_id", flat=True).get()
    again = registration(world, world.person) | {"id": str(stored)}
    with pytest.raises(XAPIError):  # same id from another platform: 409, nothing stored
        store_statements(principal, [session(world)[0], again])
    assert PendingStatements.objects.count() == 1


def test_a_batch_whose_enqueue_never_happened_is_processed_by_the_sweep(world):
    store_without_processing(world, [registration(world, world.person), *session(world)])
    assert world.hours() == 0 and not LearnerAccount.objects.exists()
    assert processing.sweep() == 1
    assert world.hours() == Decimal("1.50")
    world.enrolment.refresh_from_db()
    assert world.enrolment.online_hours == Decimal("1.50")
    assert not PendingStatements.objects.exists()
    assert processing.sweep() == 0


def test_a_batch_whose_enqueue_raised_is_stored_and_processed_by_the_sweep(world):
    with mock.patch("haihe.supervision.tasks.process_pending") as task:
        task.enqueue.side_effect = RuntimeError("the queue refuses")
        world.send(world.platform, [registration(world, world.person), *session(world)])
    task.enqueue.assert_called_once()
    assert Statement.objects.count() == 1 + len(session(world))
    assert world.hours() == 0
    processing.sweep()
    assert world.hours() == Decimal("1.50")


def test_the_sweep_leaves_young_batches_to_their_task(world):
    store_without_processing(world, [registration(world, world.person)])
    assert processing.sweep(older_than=3600) == 0
    assert PendingStatements.objects.count() == 1


def test_processing_twice_changes_nothing(world):
    world.register(world.person)
    statements = session(world)
    store_without_processing(world, statements)
    pending = PendingStatements.objects.get()
    processing.process_pending(pending.pk)
    once = _snapshot()
    enrolment_hours = world.enrolment.__class__.objects.get(pk=world.enrolment.pk).online_hours
    assert once[0] == [(world.enrolment.pk, 5400)]
    # the same statements again: as a second pending batch, and through the plain service
    PendingStatements.objects.create(
        platform=world.platform,
        statement_pks=pending.statement_pks,
        first_pk=pending.first_pk,
        last_pk=pending.last_pk,
    )
    assert processing.sweep() == 1
    assert processing.process_statements(pending.statement_pks) == []
    assert _snapshot() == once
    world.enrolment.refresh_from_db()
    assert world.enrolment.online_hours == enrolment_hours == Decimal("1.50")


def test_a_finished_batch_is_not_processed_again(world):
    store_without_processing(world, [registration(world, world.person)])
    pending_id = PendingStatements.objects.get().pk
    assert processing.process_pending(pending_id) == []
    assert processing.process_pending(pending_id) is None


def test_a_crash_after_the_links_still_recomputes_the_unlinked_person(world):
    """Step 1 (voiding a registration unlinks the account) commits, then the worker dies: the
    retry must recompute the person although the account it would find is gone."""
    reg = world.register(world.person)
    world.session(world.at(9), world.at(10))
    assert world.hours() == Decimal("1.00")
    voiding = st.voiding(home_page=world.home(world.platform), operator="ops",
                         target_id=reg["id"])  # fmt: skip
    store_without_processing(world, [voiding])
    pending = PendingStatements.objects.get()
    with (
        mock.patch.object(processing, "recompute_people", side_effect=SystemExit("killed")),
        pytest.raises(SystemExit),
    ):
        processing.process_pending(pending.pk)
    pending.refresh_from_db()
    assert pending.people == [world.person.pk]
    assert not LearnerAccount.objects.exists()  # step 1 committed
    assert world.hours() == Decimal("1.00")  # step 2 did not
    processing.sweep()
    assert world.hours() == 0
    assert not PendingStatements.objects.exists()


def test_a_crash_in_the_training_update_rolls_the_hours_back(world):
    """The verified hours and the training module's copy commit together: a failure between
    them leaves neither, and the retry brings both."""
    world.register(world.person)
    store_without_processing(world, session(world))
    pending_id = PendingStatements.objects.get().pk
    with (
        mock.patch(
            "haihe.training.online.online_hours_changed", side_effect=RuntimeError("killed")
        ),
        pytest.raises(RuntimeError),
    ):
        processing.process_pending(pending_id)
    assert world.hours() == 0
    processing.sweep()
    world.enrolment.refresh_from_db()
    assert world.hours() == world.enrolment.online_hours == Decimal("1.50")


def test_a_failing_batch_is_noted_and_does_not_stop_the_sweep(world, caplog):
    store_without_processing(world, [registration(world, world.person)])
    store_without_processing(world, session(world))
    first, second = PendingStatements.objects.order_by("pk")
    real = processing.prepare_batch

    def prepare(pks):
        if list(pks) == first.statement_pks:
            raise ValueError("bad batch")
        return real(pks)

    with mock.patch.object(processing, "prepare_batch", side_effect=prepare):
        assert processing.sweep() == 1
    first.refresh_from_db()
    assert first.attempts == 1 and first.last_error == "ValueError: bad batch"
    assert not PendingStatements.objects.filter(pk=second.pk).exists()
    assert "processing pending statements" in caplog.text
    assert processing.sweep() == 1
    assert world.hours() == Decimal("1.50")


def test_a_failing_task_is_noted_on_its_batch(world):
    from haihe.supervision import tasks

    store_without_processing(world, [registration(world, world.person)])
    pending = PendingStatements.objects.get()
    with (
        mock.patch.object(processing, "prepare_batch", side_effect=ValueError("bad")),
        pytest.raises(ValueError),
    ):
        tasks.process_pending.call(pending.pk)
    pending.refresh_from_db()
    assert pending.attempts == 1 and pending.last_error == "ValueError: bad"


@pytest.fixture
def lrs_client(world):
    import datetime

    from haihe.core import clock

    xapi_services.platform_select(
        actor=None,
        organisation=world.platform,
        valid_from=clock.today() - datetime.timedelta(days=1),
        valid_until=clock.today() + datetime.timedelta(days=1),
    )
    _credential, key, secret = xapi_services.credential_issue(
        actor=None, organisation=world.platform
    )
    return XAPIClient(key, secret)


def test_resending_a_stored_unprocessed_batch_processes_it(world, lrs_client):
    batch = [registration(world, world.person), *session(world)]
    store_without_processing(world, batch)
    assert world.hours() == 0
    with world.capture(execute=True):
        response = lrs_client.statements(batch)
    assert response.status_code == 200
    assert Statement.objects.count() == len(batch)
    assert world.hours() == Decimal("1.50")
    assert not PendingStatements.objects.exists()


def test_resending_part_of_a_pending_batch_processes_the_whole_batch(world, lrs_client):
    batch = [registration(world, world.person), *session(world)]
    store_without_processing(world, batch)
    with world.capture(execute=True):
        assert lrs_client.statements([batch[-1]]).status_code == 200
    assert world.hours() == Decimal("1.50")


def test_resending_a_processed_batch_queues_nothing(world, lrs_client):
    batch = [registration(world, world.person), *session(world)]
    with world.capture(execute=True):
        lrs_client.statements(batch)
    assert world.hours() == Decimal("1.50")
    with (
        mock.patch("haihe.supervision.tasks.process_pending") as task,
        world.capture(execute=True),
    ):
        assert lrs_client.statements(batch).status_code == 200
    task.enqueue.assert_not_called()


def test_the_sweep_command_processes_what_is_pending(world):
    store_without_processing(world, [registration(world, world.person), *session(world)])
    out = StringIO()
    call_command("sweep", stdout=out)
    assert "supervision.pending_statements: 1" in out.getvalue()
    assert world.hours() == Decimal("1.50")


def test_the_sweep_command_fails_when_a_sweep_fails(world):
    from haihe.core import sweeps

    with (
        mock.patch.dict(sweeps._sweeps, {"broken": mock.Mock(side_effect=RuntimeError)}),
        pytest.raises(SystemExit),
    ):
        call_command("sweep", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db(transaction=True)  # the worker closes connections found in a transaction
def test_the_worker_sweeps_when_it_starts(world, settings):
    with mock.patch("haihe.supervision.tasks.process_pending") as lost:  # the task is lost
        world.send(world.platform, [registration(world, world.person), *session(world)])
    lost.enqueue.assert_called_once()
    assert world.hours() == 0 and PendingStatements.objects.count() == 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--sweep-interval", "0",
        verbosity=0,
    )  # fmt: skip
    assert world.hours() == Decimal("1.50")
    assert not PendingStatements.objects.exists()


def test_recompute_all_leaves_pending_batches_for_the_sweep(world):
    """The repair tool rebuilds the figures; the pending row stays until its batch is
    processed (doing so then changes nothing)."""
    store_without_processing(world, [registration(world, world.person), *session(world)])
    services.recompute_all()
    rebuilt = _snapshot()
    processing.sweep()
    assert _snapshot() == rebuilt
