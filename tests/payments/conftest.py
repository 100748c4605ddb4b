# Payments are exercised on their first payable, the training-subsidy claim.
from tests.subsidies.conftest import (  # noqa: F401
    district_user,
    filer,
    heping,
    hexi,
    municipal_user,
    org,
    other_municipal_user,
)
