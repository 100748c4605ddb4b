"""The supervision step of the demo: streams stored through the LRS, verified, flags raised."""

import pytest

from haihe.demo.generator import Scenario
from haihe.supervision.models import Flag, LearnerAccount, LearningSession, VerifiedHours

pytestmark = pytest.mark.django_db


def test_demo_streams_are_stored_verified_and_flagged():
    from haihe.xapi.models import Credential, PlatformSelection, Statement

    result = Scenario(seed=7, scale=0.001).build()
    assert result.counts["xapi_statements"] == Statement.objects.count() > 0
    assert PlatformSelection.objects.values("organisation").distinct().count() == 30
    assert Credential.objects.count() == 1
    key = Credential.objects.get().key
    assert any(key in note and "secret" in note for note in result.notes)
    assert LearnerAccount.objects.exists()
    assert LearningSession.objects.filter(status="counted").exists()
    assert VerifiedHours.objects.filter(seconds__gt=0).exists()
    assert Flag.objects.filter(status="open").exists()
    # the verified figure reached the training module
    from haihe.training.models import Enrolment

    row = VerifiedHours.objects.filter(seconds__gt=0).first()
    assert Enrolment.objects.get(pk=row.enrolment_id).online_hours == row.hours
