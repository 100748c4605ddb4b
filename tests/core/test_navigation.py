import pytest
from django.urls import reverse

from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    bureau_admin,
    district_reviewer,
    org_admin,
    worker,
)

pytestmark = pytest.mark.django_db


def nav_urls(client):
    return [item["url"] for item in client.get("/accounts/login/").context["nav_items"]]


def test_navigation_is_by_role(client, districts):
    client.force_login(bureau_admin())
    urls = nav_urls(client)
    assert reverse("core:audit") in urls and reverse("registry:me") not in urls
    client.force_login(worker(PersonFactory(district=districts["120101"])))
    assert nav_urls(client) == [
        reverse("registry:me"),
        reverse("training:mine"),
        reverse("subsidies:mine"),
    ]
    client.force_login(district_reviewer(districts["120101"]))
    assert reverse("core:audit") not in nav_urls(client)
    enterprise = OrganisationFactory(kinds=["enterprise"])
    client.force_login(org_admin(enterprise))
    assert reverse("supervision:index") not in nav_urls(client)
    platform = OrganisationFactory(kinds=["online_training_platform", "enterprise"])
    client.force_login(org_admin(platform))
    assert reverse("supervision:index") in nav_urls(client)


def test_every_navigation_entry_opens_for_its_roles(client, districts):
    for user in (bureau_admin(), district_reviewer(districts["120101"])):
        client.force_login(user)
        for url in nav_urls(client):
            assert client.get(url).status_code == 200, url
