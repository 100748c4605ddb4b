import pytest

from haihe.training import online
from tests.factories import OrganisationFactory, district_reviewer, org_admin, org_staff
from tests.training.factories import TrainingClassFactory


@pytest.fixture(autouse=True)
def _no_online_provider():
    """Each training test starts with no provider of online hours; the one the supervision app
    registered at start-up is put back afterwards, whatever the test registered meanwhile."""
    registered = online.current_provider()
    online.register_online_hours_provider(None)
    yield
    online.register_online_hours_provider(registered)


@pytest.fixture
def heping(districts):
    return districts["120101"]


@pytest.fixture
def hexi(districts):
    return districts["120103"]


@pytest.fixture
def institution(heping):
    return OrganisationFactory(district=heping, kinds=["training_institution"])


@pytest.fixture
def other_institution(hexi):
    return OrganisationFactory(district=hexi, kinds=["training_institution"])


@pytest.fixture
def inst_admin(institution):
    return org_admin(institution)


@pytest.fixture
def inst_staff(institution):
    return org_staff(institution)


@pytest.fixture
def heping_reviewer(heping):
    return district_reviewer(heping)


@pytest.fixture
def hexi_reviewer(hexi):
    return district_reviewer(hexi)


@pytest.fixture
def approved_class(institution, heping):
    return TrainingClassFactory(organisation=institution, district=heping, status="approved")


@pytest.fixture
def platform(heping):
    return OrganisationFactory(district=heping, kinds=["online_training_platform", "enterprise"])
