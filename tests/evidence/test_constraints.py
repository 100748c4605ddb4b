"""The database refuses an evidence row the service would refuse, whatever path writes it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DataError, IntegrityError, transaction

from haihe.core import clock
from haihe.evidence.models import SIZE_CEILING, Evidence
from haihe.subsidies.models import Claim

pytestmark = pytest.mark.django_db
REFUSED = (IntegrityError, DataError)
GOOD_SHA = "a" * 64


def _row(filer, draft, **changes):
    values = {
        "content_type": ContentType.objects.get_for_model(Claim),
        "object_id": draft.pk,
        "kind": "invoice",
        "original_name": "发票.pdf",
        "file": "evidence/0123456789abcdef",
        "media_type": "application/pdf",
        "size": 100,
        "sha256": GOOD_SHA,
        "uploaded_by": filer,
        "uploaded_at": clock.now(),
    }
    values.update(changes)
    return values


def test_a_good_row_is_accepted(filer, draft):
    assert Evidence.objects.create(**_row(filer, draft)).pk


@pytest.mark.parametrize(
    "changes",
    [
        {"size": 0},
        {"size": SIZE_CEILING + 1},
        {"sha256": "A" * 64},
        {"sha256": "g" * 64},
        {"sha256": "a" * 63},
        {"sha256": ""},
        {"media_type": "text/html"},
        {"media_type": "image/svg+xml"},
        {"kind": "Invoice"},
        {"kind": "in voice"},
        {"kind": ""},
        {"original_name": ""},
        {"file": "../etc/passwd"},
        {"file": ""},
        {"removed_at": clock.now()},  # a removal without who removed it
    ],
    ids=lambda c: ",".join(f"{k}={str(v)[:12]}" for k, v in c.items()),
)
def test_bad_rows_are_refused(filer, draft, changes):
    with pytest.raises(REFUSED), transaction.atomic():
        Evidence.objects.create(**_row(filer, draft, **changes))


def test_one_live_copy_of_a_file_per_case(filer, draft):
    Evidence.objects.create(**_row(filer, draft))
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(**_row(filer, draft, kind="other"))
    Evidence.objects.filter(sha256=GOOD_SHA).update(removed_at=clock.now(), removed_by=filer)
    assert Evidence.objects.create(**_row(filer, draft, kind="other")).pk
