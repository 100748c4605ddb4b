import datetime

import pytest

from haihe.core import clock
from haihe.core.figures import FIGURES
from haihe.supervision import services
from haihe.supervision.models import Flag

pytestmark = pytest.mark.django_db


def test_figures_as_of_a_date(world):
    world.register(world.person)
    world.session(world.at(9), world.at(10, 30))
    world.session(world.at(11), world.at(12), checks=[])
    day = datetime.date(2020, 5, 11)
    assert FIGURES["verified_online_hours"].compute(day) == 1.5
    assert FIGURES["verified_online_hours"].compute(day - datetime.timedelta(days=1)) == 0
    by_district = FIGURES["verified_online_hours"].by_district(day)
    assert by_district["120101"] == 1.5 and by_district["120103"] == 0
    today = clock.today()
    assert FIGURES["xapi_statements"].compute(today) > 0
    assert FIGURES["xapi_statements"].compute(datetime.date(2019, 1, 1)) == 0
    assert FIGURES["supervision_flags_open"].compute(today) == 1
    assert FIGURES["supervision_flags_open"].by_district(today)["120101"] == 1


def test_closed_flag_is_no_longer_open_but_was_before(world):
    from tests.factories import bureau_admin

    world.session(world.at(9), world.at(10), checks=[])  # unregistered account
    flag = Flag.objects.get()
    services.flag_close(actor=bureau_admin(), flag=flag, action="dismiss", reason="核实无误")
    today = clock.today()
    assert FIGURES["supervision_flags_open"].compute(today) == 0
    flag.refresh_from_db()
    assert flag.closed_at.date() >= today - datetime.timedelta(days=1)


def test_training_reads_hours_through_the_provider(world):
    from haihe.training.online import has_provider, verified_online_hours

    assert has_provider()
    world.register(world.person)
    world.session(world.at(9), world.at(10))
    other = world.enrol(world.person, world.make_class())
    figures = verified_online_hours([world.enrolment.pk, other.pk])
    assert figures == {world.enrolment.pk: 1, other.pk: 0}
