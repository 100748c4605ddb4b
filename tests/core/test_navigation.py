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


# The navigation registry (haihe.core.nav): what each role sees, grouped and in order ------------

from haihe.accounts.roles import Role  # noqa: E402
from haihe.core import nav  # noqa: E402
from tests.factories import UserFactory, municipal_reviewer, org_staff  # noqa: E402

REGISTRY_STAFF = ["registry:people", "registry:organisations", "registry:occupations"]
EXPECTED = {
    "bureau_admin": {
        "registry": [*REGISTRY_STAFF, "registry:districts"],
        "training": [
            "training:classes",
            "training:review_queue",
            "training:refusals",
            "subsidies:queue",
            "subsidies:catalogue",
            "payments:batches",
            "subsidies:totals",
        ],
        "supervision": ["supervision:index", "supervision:flags", "xapi:platform-list"],
        "certification": ["panels:index", "panels:experts"],
        "accreditation": [
            "accreditation:calls",
            "accreditation:applications",
            "accreditation:queue",
            "accreditation:recognitions",
            "accreditation:register",
            "schools:majors",
            "schools:agreements",
            "schools:pay",
            "schools:queue",
            "schools:register",
        ],
        "statistics": ["stats:dashboard"],
        "administration": [
            "policy:parameters",
            "policy:calendar",
            "notices:manage",
            "core:audit",
            "accounts:tokens",
            "accounts:security_alerts",
        ],
    },
    "municipal_reviewer": {
        "registry": [*REGISTRY_STAFF, "registry:districts"],
        "training": [
            "training:classes",
            "training:review_queue",
            "training:refusals",
            "subsidies:queue",
            "subsidies:catalogue",
            "subsidies:totals",
        ],
        "supervision": ["supervision:index", "supervision:flags"],
        "certification": ["panels:index", "panels:experts"],
        "accreditation": [
            "accreditation:applications",
            "accreditation:queue",
            "accreditation:recognitions",
            "accreditation:register",
            "schools:majors",
            "schools:agreements",
            "schools:pay",
            "schools:queue",
            "schools:register",
        ],
        "statistics": ["stats:dashboard"],
        "administration": [
            "policy:parameters",
            "policy:calendar",
            "notices:manage",
            "core:audit",
        ],
    },
    "district_reviewer": {
        "registry": REGISTRY_STAFF,
        "training": ["training:classes", "training:review_queue", "subsidies:queue"],
        "supervision": ["supervision:index", "supervision:flags"],
        "accreditation": [
            "accreditation:applications",
            "accreditation:queue",
            "accreditation:recognitions",
            "accreditation:register",
            "schools:majors",
            "schools:agreements",
            "schools:queue",
            "schools:register",
        ],
        "statistics": ["stats:dashboard"],
    },
    "org_admin": {
        "registry": REGISTRY_STAFF,
        "training": ["training:classes", "subsidies:claims"],
        "accreditation": [
            "accreditation:calls",
            "accreditation:applications",
            "accreditation:recognitions",
            "accreditation:register",
            "schools:agreements",
            "schools:register",
        ],
        "administration": ["accounts:tokens"],
    },
    "org_admin_platform": {
        "registry": REGISTRY_STAFF,
        "training": ["training:classes", "subsidies:claims"],
        "supervision": ["supervision:index", "xapi:platform-list"],
        "accreditation": [
            "accreditation:calls",
            "accreditation:applications",
            "accreditation:recognitions",
            "accreditation:register",
            "schools:register",
        ],
        "administration": ["accounts:tokens"],
    },
    "org_staff_platform": {
        "registry": REGISTRY_STAFF,
        "training": ["training:classes", "subsidies:claims"],
        "accreditation": [
            "accreditation:calls",
            "accreditation:applications",
            "accreditation:recognitions",
            "accreditation:register",
            "schools:register",
        ],
    },
    "expert": {"certification": ["panels:tasks"]},
    "worker": {"registry": ["registry:me"], "training": ["training:mine", "subsidies:mine"]},
}


def _user_for(key, districts):
    enterprise = OrganisationFactory(kinds=["enterprise"])
    platform = OrganisationFactory(kinds=["online_training_platform"])
    return {
        "bureau_admin": lambda: bureau_admin(),
        "municipal_reviewer": lambda: municipal_reviewer(),
        "district_reviewer": lambda: district_reviewer(districts["120101"]),
        "org_admin": lambda: org_admin(enterprise),
        "org_admin_platform": lambda: org_admin(platform),
        "org_staff_platform": lambda: org_staff(platform),
        "expert": lambda: UserFactory(role=Role.EXPERT),
        "worker": lambda: worker(PersonFactory(district=districts["120101"])),
    }[key]()


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_role_sees_exactly_its_entries_grouped_by_area_in_order(client, districts, key):
    client.force_login(_user_for(key, districts))
    groups = client.get("/accounts/login/").context["nav_groups"]
    seen = {group["key"]: [item["name"] for item in group["items"]] for group in groups}
    assert seen == EXPECTED[key]
    # areas in the house's order; an area with no visible entry is not shown
    keys = [group["key"] for group in groups]
    assert keys == [area for area in nav.AREA_KEYS if area in EXPECTED[key]]
    assert all(group["items"] for group in groups)


def test_a_worker_sees_neither_the_audit_log_nor_payments(client, districts):
    client.force_login(worker(PersonFactory(district=districts["120101"])))
    page = client.get("/accounts/login/").content.decode()
    for name in ("core:audit", "payments:batches", "accounts:security_alerts", "stats:dashboard"):
        assert f'href="{reverse(name)}"' not in page
    assert "系统管理" not in page and "统计" not in page


def test_an_org_staff_member_does_not_see_tokens_nor_reviews(client):
    client.force_login(org_staff(OrganisationFactory(kinds=["enterprise"])))
    names = [item["name"] for item in client.get("/accounts/login/").context["nav_items"]]
    for name in ("accounts:tokens", "subsidies:queue", "training:review_queue", "core:audit"):
        assert name not in names


def test_an_inactive_or_anonymous_user_sees_no_navigation(client):
    assert client.get("/accounts/login/").context["nav_groups"] == []
    user = bureau_admin()
    assert nav.entries_for(user)
    user.is_active = False
    assert nav.entries_for(user) == []


def test_the_header_renders_dropdowns_behind_a_menu_button_and_marks_the_active_entry(client):
    client.force_login(bureau_admin())
    page = client.get(reverse("training:review_queue")).content.decode()
    assert '<details class="nav-menu"' in page and "<summary" in page
    assert page.count('class="dropdown"') == len(EXPECTED["bureau_admin"])  # one per area
    assert f'<a href="{reverse("training:review_queue")}" aria-current="page">' in page
    # only the longest matching entry is current (/training/ is a prefix of /training/review/)
    assert page.count('aria-current="page"') == 1
    assert " style=" not in page and "<style" not in page


def test_an_entry_of_an_unknown_area_or_registered_twice_differently_is_refused():
    with pytest.raises(ValueError):
        nav.Entry("core:home", "x", "nowhere", allowed={Role.WORKER})
    with pytest.raises(ValueError):
        nav.register(nav.Entry("core:audit", "x", nav.STATISTICS, allowed={Role.WORKER}))
