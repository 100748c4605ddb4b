import contextlib
import datetime

import pytest
from django.utils import translation

from haihe.core import clock as platform_clock
from haihe.policy.loader import load_calendars, load_parameters
from haihe.registry.services import DATA_DIR, load_districts, occupations_replace

# The business day every test runs on unless it moves the clock (a Monday, not a holiday).
TEST_DAY = datetime.date(2026, 6, 15)


class FrozenClock:
    """The platform's business clock, pinned for one test: `clock.today`, `clock.travel(day)`."""

    def __init__(self, stack: contextlib.ExitStack):
        self._stack = stack

    @property
    def today(self) -> datetime.date:
        return platform_clock.today()

    def travel(self, day: datetime.date | str) -> datetime.date:
        return self._stack.enter_context(platform_clock.pinned(day))

    def shift(self, days: int) -> datetime.date:
        return self.travel(self.today + datetime.timedelta(days=days))


def pytest_configure(config):
    """Pinned for the whole session too, so that dates computed while collecting (parametrize)
    agree with the dates inside tests."""
    config._haihe_clock = platform_clock.pinned(TEST_DAY)
    config._haihe_clock.__enter__()


def pytest_unconfigure(config):
    pinned = getattr(config, "_haihe_clock", None)
    if pinned is not None:
        pinned.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def clock():
    """The one way tests set the date: the business clock is pinned to TEST_DAY."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(platform_clock.pinned(TEST_DAY))
        yield FrozenClock(stack)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Background tasks run at once in tests (the database queue needs a worker process)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """A cache of the test's own (in memory, emptied after it): the database cache table is not
    part of the test database, and nothing cached may leak from one test into another."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    yield
    cache.clear()


@pytest.fixture(scope="session")
def _media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_root(settings, _media_dir):
    """Uploaded evidence goes to a directory of the test run, never to the checkout's var/."""
    settings.MEDIA_ROOT = _media_dir


@pytest.fixture(autouse=True)
def _fast_hashers(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    translation.activate("zh-hans")
    yield
    translation.deactivate()


@pytest.fixture
def reference_data(db):
    """Districts, the occupation subset, the policy parameters and the working-day calendars, as
    a fresh install has."""
    load_districts("120000")
    occupations_replace(actor=None, text=(DATA_DIR / "occupations.csv").read_text(encoding="utf-8"))
    load_parameters("120000")
    load_calendars()


@pytest.fixture
def districts(reference_data):
    from haihe.registry.models import District

    return {d.code: d for d in District.objects.all()}
