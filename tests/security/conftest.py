"""The security tests reuse the training fixtures (an institution, its administrator, a district
and its reviewer) and add tokens."""

import pytest
from django.test import Client

from haihe.accounts.services import token_issue
from tests.factories import bureau_admin
from tests.training.conftest import (  # noqa: F401  (fixtures)
    _no_online_provider,
    heping,
    heping_reviewer,
    hexi,
    inst_admin,
    institution,
    other_institution,
)


def token_client(user, **headers) -> Client:
    _token, secret = token_issue(actor=bureau_admin(), user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {secret}", **headers})


@pytest.fixture
def api(inst_admin):  # noqa: F811
    return token_client(inst_admin)


@pytest.fixture
def bureau_api(db):
    return token_client(bureau_admin())
