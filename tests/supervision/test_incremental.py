"""Incremental processing gives exactly what a full recomputation gives, whatever the order and
batching of the statements (hypothesis)."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from haihe.supervision import services
from haihe.supervision import statements as st
from tests.factories import PersonFactory
from tests.supervision.test_processing import _snapshot

pytestmark = pytest.mark.django_db

session_spec = hs.tuples(
    hs.integers(0, 1),  # which person
    hs.integers(0, 1),  # which platform / enrolment
    hs.integers(0, 3),  # day offset
    hs.integers(0, 22 * 60),  # start minute of the day
    hs.integers(1, 10 * 60),  # length in minutes
    hs.sampled_from(["ok", "none", "late", "failed"]),  # face checks
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=hs.lists(session_spec, min_size=1, max_size=8),
    register_first=hs.booleans(),
    batch_size=hs.integers(1, 12),
    seed=hs.randoms(use_true_random=False),
    void_count=hs.integers(0, 3),
)
def test_incremental_equals_full_recomputation(
    world, specs, register_first, batch_size, seed, void_count
):
    people = [PersonFactory(district=world.heping, name=f"学员{i}") for i in range(2)]
    class2 = world.make_class(platform=world.platform2, district=world.hexi)
    enrolments = {
        (p, k): world.enrol(person, klass)
        for p, person in enumerate(people)
        for k, klass in enumerate([world.klass, class2])
    }
    platforms = [world.platform, world.platform2]
    stream = []
    for p, k, day, minute, length, checks in specs:
        start = world.at(0) + datetime.timedelta(days=day, minutes=minute)
        end = start + datetime.timedelta(minutes=length)
        if checks == "ok":
            marks = [(start + datetime.timedelta(minutes=m), True) for m in range(0, length, 40)]
        elif checks == "late":
            marks = [(start + datetime.timedelta(minutes=m), True) for m in range(0, length, 50)]
        elif checks == "failed":
            marks = [(start, False)]
        else:
            marks = []
        stream += [
            (k, s)
            for s in world.session(
                start, end, enrolment=enrolments[(p, k)], platform=platforms[k],
                checks=marks, send=False,
            )
        ]  # fmt: skip
    registrations = [
        (k, st.real_name_registration(
            home_page=world.home(platforms[k]), account=f"u{person.pk}", ric=person.ric,
            real_name=person.name, at=world.at(7)))
        for person in people
        for k in range(2)
    ]  # fmt: skip
    seed.shuffle(stream)
    stream = registrations + stream if register_first else stream + registrations
    for k in (0, 1):
        mine = [s for kk, s in stream if kk == k]
        for i in range(0, len(mine), batch_size):
            world.send(platforms[k], mine[i : i + batch_size])
    voidable = [(k, s) for k, s in stream]
    for k, target in seed.sample(voidable, min(void_count, len(voidable))):
        world.send(
            platforms[k],
            [st.voiding(home_page=world.home(platforms[k]), operator="ops",
                        target_id=target["id"])],
        )  # fmt: skip
    incremental = _snapshot()
    services.recompute_all()
    assert _snapshot() == incremental
