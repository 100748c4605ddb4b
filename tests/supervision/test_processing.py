"""Statements stored through the xAPI store become verified hours, incrementally."""

import datetime
from decimal import Decimal

import pytest

from haihe.supervision import services
from haihe.supervision import statements as st
from haihe.supervision.models import Flag, FlagStatus, LearnerAccount, LearningSession
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_real_name_registration_links_the_account(world):
    world.register(world.person)
    account = LearnerAccount.objects.get()
    assert account.person == world.person
    assert account.platform == world.platform
    assert account.actor_key == f"account:{world.home(world.platform)}|u{world.person.pk}"


def test_registration_with_an_invalid_ric_is_flagged_and_links_nothing(world):
    world.register(world.person, ric="120101199003070000")
    assert not LearnerAccount.objects.exists()
    flag = Flag.objects.get()
    assert flag.kind == "invalid_registration"
    assert flag.platform == world.platform and flag.district == world.platform.district


def test_registration_of_an_unknown_person_is_flagged(world):
    from tests.factories import make_ric

    world.register(world.person, ric=make_ric(datetime.date(1985, 1, 2)))
    assert not LearnerAccount.objects.exists()
    assert Flag.objects.get().kind == "unknown_person"


def test_registration_with_the_wrong_name_is_flagged(world):
    world.register(world.person, name="李四")
    assert not LearnerAccount.objects.exists()
    flag = Flag.objects.get()
    assert flag.kind == "name_mismatch" and flag.person == world.person


def test_account_registered_to_another_person_keeps_the_first(world):
    other = PersonFactory(district=world.heping, name="王五")
    world.register(world.person, account="shared")
    world.register(other, account="shared")
    assert LearnerAccount.objects.get().person == world.person
    assert Flag.objects.get().kind == "account_conflict"


def test_a_session_becomes_verified_hours_and_reaches_training(world):
    world.register(world.person)
    world.session(world.at(9), world.at(10, 30))
    assert world.hours() == Decimal("1.50")
    world.enrolment.refresh_from_db()
    assert world.enrolment.online_hours == Decimal("1.50")
    from haihe.training.online import verified_online_hours

    assert verified_online_hours([world.enrolment.pk]) == {world.enrolment.pk: Decimal("1.50")}


def test_statements_before_registration_count_once_it_arrives(world):
    world.session(world.at(9), world.at(10))
    assert world.hours() == 0
    assert Flag.objects.get(status="open").kind == "unregistered_account"
    world.register(world.person)
    assert world.hours() == Decimal("1.00")
    assert Flag.objects.get().status == FlagStatus.WITHDRAWN


def test_start_and_end_in_separate_batches(world):
    world.register(world.person)
    statements = world.session(world.at(9), world.at(10), send=False)
    world.send(world.platform, statements[:2])  # start and the first face check
    assert LearningSession.objects.get().status == "open"
    world.send(world.platform, statements[2:])
    assert world.hours() == Decimal("1.00")


def test_voiding_the_end_stops_the_session_counting(world):
    world.register(world.person)
    statements = world.session(world.at(9), world.at(10))
    world.send(
        world.platform,
        [st.voiding(home_page=world.home(world.platform), operator="ops",
                    target_id=statements[-1]["id"])],
    )  # fmt: skip
    assert world.hours() == 0
    assert LearningSession.objects.get().status == "open"


def test_voiding_the_registration_unlinks_the_account(world):
    registration = world.register(world.person)
    world.session(world.at(9), world.at(10))
    world.send(
        world.platform,
        [st.voiding(home_page=world.home(world.platform), operator="ops",
                    target_id=registration["id"])],
    )  # fmt: skip
    assert not LearnerAccount.objects.exists()
    assert world.hours() == 0
    assert Flag.objects.get(status="open").kind == "unregistered_account"


def test_voiding_a_failed_session_withdraws_its_flag(world):
    world.register(world.person)
    statements = world.session(world.at(9), world.at(10), checks=[])
    assert Flag.objects.get().kind == "face_check"
    world.send(
        world.platform,
        [st.voiding(home_page=world.home(world.platform), operator="ops",
                    target_id=statements[-1]["id"])],
    )  # fmt: skip
    assert Flag.objects.get().status == FlagStatus.WITHDRAWN


def test_cross_platform_overlap_is_flagged_with_the_second_platforms_enrolment(world):
    class2 = world.make_class(platform=world.platform2, district=world.hexi)
    enrolment2 = world.enrol(world.person, class2)
    world.register(world.person)
    world.register(world.person, platform=world.platform2)
    world.session(world.at(9), world.at(10))
    world.session(world.at(9, 30), world.at(10, 30), enrolment=enrolment2, platform=world.platform2)
    assert world.hours() == Decimal("1.00")
    assert world.hours(enrolment2) == Decimal("0.50")
    flag = Flag.objects.get()
    assert flag.kind == "overlap_cross_platform"
    assert flag.enrolment == enrolment2
    assert flag.platform == world.platform2
    assert flag.district == world.hexi


def test_identity_mismatch_when_another_persons_account_learns(world):
    other = PersonFactory(district=world.heping, name="赵六")
    world.register(other, account="someone-else")
    world.session(world.at(9), world.at(10), account="someone-else")
    assert world.hours() == 0
    flag = Flag.objects.get()
    assert flag.kind == "identity_mismatch" and flag.person == world.person


def test_explanation_is_stored_with_the_figure(world):
    from haihe.supervision.models import VerifiedHours

    world.register(world.person)
    world.session(world.at(9), world.at(10))
    world.session(world.at(11), world.at(12), checks=[])
    row = VerifiedHours.objects.get(enrolment=world.enrolment)
    reasons = row.reason_objects()
    assert reasons[0].rule == "supervision.enrolment_total"
    assert reasons[0].params["counted"] == 1 and reasons[0].params["excluded"] == 1
    assert reasons[1].rule == "supervision.face_check_start"
    assert reasons[1].parameter.key == "supervision.face_check_start_tolerance_minutes"
    assert reasons[1].parameter.effective_from == datetime.date(2020, 1, 1)


def test_recompute_all_matches_incremental(world):
    world.register(world.person)
    world.session(world.at(9), world.at(10))
    world.session(world.at(9, 30), world.at(11))
    before = _snapshot()
    services.recompute_all()
    assert _snapshot() == before


def _snapshot():
    from haihe.supervision.models import VerifiedHours

    return (
        sorted(VerifiedHours.objects.filter(seconds__gt=0).values_list("enrolment_id", "seconds")),
        sorted(LearningSession.objects.values_list("key", "status", "counted_seconds")),
        sorted(Flag.objects.values_list("kind", "subject_key", "status")),
        sorted(LearnerAccount.objects.values_list("platform_id", "actor_key", "person_id")),
    )


def test_recompute_command(world):
    from io import StringIO

    from django.core.management import call_command

    world.register(world.person)
    world.session(world.at(9), world.at(10))
    out = StringIO()
    call_command("supervision_recompute", stdout=out)
    assert "0 enrolments" in out.getvalue()
    assert world.hours() == Decimal("1.00")
