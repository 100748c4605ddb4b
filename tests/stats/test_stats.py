import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from haihe.core.figures import FIGURES, compute_all
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    bureau_admin,
    district_reviewer,
    org_admin,
)

pytestmark = pytest.mark.django_db

REGISTRY_KEYS = {
    "people",
    "organisations",
    "organisations_enterprise",
    "organisations_training_institution",
    "organisations_technical_school",
    "organisations_evaluation_body",
    "organisations_online_training_platform",
    "supervision_platforms",
}


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def test_figures_are_computed_as_of_a_date(districts):
    PersonFactory(district=districts["120101"], created_at=at(datetime.date(2020, 3, 1)))
    PersonFactory(district=districts["120103"], created_at=at(datetime.date(2020, 10, 1)))
    early = at(datetime.date(2019, 1, 1))
    for _ in range(2):
        OrganisationFactory(kinds=["online_training_platform", "enterprise"], created_at=early)
    OrganisationFactory(kinds=["supervision_platform"], created_at=early)
    OrganisationFactory(kinds=["online_training_platform"])  # registered after the date
    values = compute_all(datetime.date(2020, 9, 30))
    assert set(values) >= REGISTRY_KEYS
    assert values["people"] == 1
    assert values["organisations_online_training_platform"] == 2
    assert values["supervision_platforms"] == 1
    assert values["organisations_enterprise"] == 2
    assert compute_all(datetime.date(2020, 10, 1))["people"] == 2
    by_district = FIGURES["people"].by_district(datetime.date(2020, 12, 31))
    assert by_district["120101"] == 1 and by_district["120103"] == 1 and len(by_district) == 16
    by_month = FIGURES["people"].by_month(datetime.date(2020, 10, 15))
    assert by_month["2020-03"] == 1 and by_month["2020-10"] == 1 and len(by_month) == 10


def test_stats_command_prints_one_flat_json_object(districts):
    PersonFactory(district=districts["120101"], created_at=at(datetime.date(2020, 3, 1)))
    out = io.StringIO()
    call_command("stats", "--json", "--as-of", "2020-09-30", stdout=out)
    values = json.loads(out.getvalue())
    assert values["people"] == 1
    assert all(isinstance(v, int | float) for v in values.values())


def test_dashboard_permissions_and_content(client, districts):
    client.force_login(org_admin(OrganisationFactory()))
    assert client.get(reverse("stats:dashboard")).status_code == 403
    client.force_login(district_reviewer(districts["120101"]))
    assert client.get(reverse("stats:dashboard")).status_code == 200
    client.force_login(bureau_admin())
    page = client.get(reverse("stats:dashboard") + "?as_of=2020-09-30").content.decode()
    assert (
        'id="chart-data"' in page
        and "echarts.min.js" in page
        and "online_training_platforms" in page
    )
