import pytest

from tests.factories import bureau_admin, municipal_reviewer
from tests.panels import adapters  # noqa: F401  (registers the test purposes)


@pytest.fixture
def admin(reference_data):
    return bureau_admin()


@pytest.fixture
def reviewer(reference_data):
    return municipal_reviewer()
