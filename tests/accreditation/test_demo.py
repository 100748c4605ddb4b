"""The accreditation part of the demo, at a small scale: the bureau's counts whatever the
scale, applications in every state, the figures of 2020."""

import datetime

import pytest

from haihe.accounts.models import User
from haihe.accreditation.models import Application, ApplicationStatus, Recognition
from haihe.core.figures import compute_all
from haihe.demo.generator import Scenario
from haihe.notices.models import Notice, Objection
from haihe.review.models import ReviewAction

pytestmark = pytest.mark.django_db


def test_the_demo_step_at_a_small_scale(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    result = Scenario(seed=7, scale=0.001).build()
    counts = result.counts
    assert counts["accreditation_existing_centres"] == 241
    assert counts["accreditation_new_centres"] == 36
    centres = Recognition.objects.filter(kind="enterprise_training_centre")
    assert centres.filter(source="import").count() == 241
    assert centres.filter(source="import", valid_from__year__lt=2020).count() == 241
    assert set(Application.objects.values_list("status", flat=True)) == set(
        ApplicationStatus.values
    )
    assert ReviewAction.objects.filter(step="return").exclude(reason="").exists()
    refused = Application.objects.filter(status="rejected")
    assert refused.count() >= 1
    assert (
        ReviewAction.objects.filter(step="reject", case_id__in=refused.values("pk"))
        .exclude(reason="")
        .count()
        == refused.count()
    )
    on_notice = Application.objects.filter(status="approved")
    assert (
        Notice.objects.filter(pk__in=on_notice.values("notice_id"), status="published").count() == 2
    )
    assert Objection.objects.filter(notice_id__in=on_notice.values("notice_id")).count() == 1
    home = Application.objects.filter(
        organisation_id=User.objects.get(username="enterprise-admin").organisation_id
    )
    assert home.filter(status="submitted").exists()
    platforms = Recognition.objects.filter(kind="online_platform")
    assert platforms.count() == 30 and not platforms.filter(xapi_selection__isnull=True).exists()
    from haihe.xapi.models import PlatformSelection

    assert PlatformSelection.objects.count() == 30  # linked, not duplicated
    values = compute_all(datetime.date(2020, 12, 31))
    expected = {
        "enterprise_training_centres_recognised": 36,
        "enterprise_training_centres_total": 277,
        "online_training_platforms": 30,
        "evaluation_bodies_filed_enterprises": 37,
        "evaluation_bodies_filed_schools": 10,
        "high_skill_training_bases": 12,
        "master_studios": 15,
    }
    assert {k: values[k] for k in expected} == expected
    # the platforms were selected by their recognitions in the spring
    assert compute_all(datetime.date(2020, 9, 30))["online_training_platforms"] == 30
