import pytest

from tests.factories import district_reviewer, municipal_reviewer, org_admin
from tests.subsidies import factories as f


@pytest.fixture
def heping(districts):
    return districts["120101"]


@pytest.fixture
def hexi(districts):
    return districts["120103"]


@pytest.fixture
def org(heping):
    return f.institution(heping)


@pytest.fixture
def filer(org):
    return org_admin(org)


@pytest.fixture
def district_user(heping):
    return district_reviewer(heping)


@pytest.fixture
def municipal_user():
    return municipal_reviewer()


@pytest.fixture
def other_municipal_user():
    return municipal_reviewer()
