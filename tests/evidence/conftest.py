import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haihe.core import clock
from haihe.subsidies import services as claims
from tests.factories import district_reviewer, municipal_reviewer, org_admin, org_staff
from tests.subsidies import factories as f


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Every evidence test stores its files in a directory of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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
def colleague(org):
    return org_staff(org)


@pytest.fixture
def other_org_user(heping):
    return org_admin(f.institution(heping))


@pytest.fixture
def district_user(heping):
    return district_reviewer(heping)


@pytest.fixture
def other_district_user(hexi):
    return district_reviewer(hexi)


@pytest.fixture
def municipal_user():
    return municipal_reviewer()


@pytest.fixture
def draft(org, filer):
    start = clock.today() - datetime.timedelta(days=60)
    klass, _outcomes = f.class_with_outcomes(org, n=2, start=start)
    return claims.claim_create(actor=filer, training_class=klass)


def upload(data: bytes, name: str = "file.pdf", content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
