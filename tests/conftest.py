import pytest
from django.utils import translation

from haihe.policy.loader import load_parameters
from haihe.registry.services import DATA_DIR, load_districts, occupations_replace


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Background tasks run at once in tests (the database queue needs a worker process)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


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
    """Districts, the occupation subset and the policy parameters, as a fresh install has."""
    load_districts("120000")
    occupations_replace(actor=None, text=(DATA_DIR / "occupations.csv").read_text(encoding="utf-8"))
    load_parameters("120000")


@pytest.fixture
def districts(reference_data):
    from haihe.registry.models import District

    return {d.code: d for d in District.objects.all()}
