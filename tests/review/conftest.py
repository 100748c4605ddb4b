# The staged review is exercised on its first user, the training-subsidy claim.
from tests.subsidies.conftest import (  # noqa: F401
    district_user,
    filer,
    heping,
    hexi,
    municipal_user,
    org,
    other_municipal_user,
)
