import pytest

from haihe.schools.services import industries_load
from tests.factories import (
    bureau_admin,
    district_reviewer,
    municipal_reviewer,
    org_admin,
    org_staff,
)
from tests.schools import factories as f


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def industries(reference_data):
    industries_load()


@pytest.fixture
def heping(districts, industries):
    return districts["120101"]


@pytest.fixture
def hexi(districts):
    return districts["120103"]


@pytest.fixture
def school(heping):
    return f.school(heping, name="天津市和平区第一技工学校")


@pytest.fixture
def filer(school):
    return org_admin(school)


@pytest.fixture
def colleague(school):
    return org_staff(school)


@pytest.fixture
def other_school_user(heping):
    return org_admin(f.school(heping, name="天津市和平区第二技工学校"))


@pytest.fixture
def partner(heping):
    return f.enterprise(heping, name="天津智造装备有限公司")


@pytest.fixture
def partner_user(partner):
    return org_admin(partner)


@pytest.fixture
def stranger_enterprise_user(heping):
    return org_admin(f.enterprise(heping, name="天津无关企业有限公司"))


@pytest.fixture
def district_user(heping):
    return district_reviewer(heping)


@pytest.fixture
def other_district_user(hexi):
    return district_reviewer(hexi)


@pytest.fixture
def municipal_user(db):
    return municipal_reviewer()


@pytest.fixture
def second_municipal_user(db):
    return municipal_reviewer()


@pytest.fixture
def admin_user(db):
    return bureau_admin()
