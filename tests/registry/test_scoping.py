"""Who sees which registry rows: every role, with the negative cases (404 outside scope)."""

import pytest
from django.urls import reverse

from haihe.core.audit import log_action
from haihe.core.models import AuditEvent
from haihe.registry.models import KeyGroupMembership, Organisation, Person
from tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    bureau_admin,
    district_reviewer,
    municipal_reviewer,
    org_admin,
    org_staff,
    worker,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(districts):
    heping, hexi = districts["120101"], districts["120103"]
    org_a = OrganisationFactory(district=heping, kinds=["training_institution"])
    org_b = OrganisationFactory(district=hexi, kinds=["enterprise"])
    alice = PersonFactory(district=heping, name="爱丽丝")
    bob = PersonFactory(district=hexi, name="鲍勃")
    carol = PersonFactory(district=hexi, name="卡罗尔")
    AffiliationFactory(organisation=org_a, person=alice)
    AffiliationFactory(organisation=org_b, person=bob)
    for person in (alice, bob, carol):
        KeyGroupMembership.objects.create(
            person=person, group="migrant_worker", valid_from="2020-01-01", evidence="证明"
        )
    return {
        "heping": heping,
        "hexi": hexi,
        "org_a": org_a,
        "org_b": org_b,
        "alice": alice,
        "bob": bob,
        "carol": carol,
    }


def names(qs):
    return sorted(p.name for p in qs)


def test_bureau_roles_see_everyone(world):
    for user in (bureau_admin(), municipal_reviewer()):
        assert Person.objects.visible_to(user).count() == 3
        assert Organisation.objects.visible_to(user).count() == 2


def test_district_reviewer_sees_only_their_district(world):
    reviewer = district_reviewer(world["hexi"])
    assert names(Person.objects.visible_to(reviewer)) == ["卡罗尔", "鲍勃"]
    assert list(Organisation.objects.visible_to(reviewer)) == [world["org_b"]]
    assert KeyGroupMembership.objects.visible_to(reviewer).count() == 2


def test_organisation_users_see_only_people_tied_to_them(world):
    for user in (org_admin(world["org_a"]), org_staff(world["org_a"])):
        assert names(Person.objects.visible_to(user)) == ["爱丽丝"]
        assert list(Organisation.objects.visible_to(user)) == [world["org_a"]]
        # key groups are recorded by the bureau: not shown to an organisation (issue 9)
        assert KeyGroupMembership.objects.visible_to(user).count() == 0


def test_worker_sees_only_themself(world):
    user = worker(world["bob"])
    assert names(Person.objects.visible_to(user)) == ["鲍勃"]
    assert Organisation.objects.visible_to(user).count() == 0


def test_expert_inactive_and_anonymous_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    inactive = bureau_admin(is_active=False)
    for user in (UserFactory(role="expert"), inactive, AnonymousUser(), None):
        assert Person.objects.visible_to(user).count() == 0
        assert Organisation.objects.visible_to(user).count() == 0


def test_other_organisations_person_is_404(client, world):
    client.force_login(org_admin(world["org_a"]))
    assert client.get(reverse("registry:person", args=[world["alice"].pk])).status_code == 200
    assert client.get(reverse("registry:person", args=[world["bob"].pk])).status_code == 404
    reveal = reverse("registry:person_reveal", args=[world["bob"].pk])
    assert client.post(reveal).status_code == 404
    assert client.get(reverse("registry:organisation", args=[world["org_b"].pk])).status_code == 404


def test_other_districts_person_is_404_and_not_listed(client, world):
    client.force_login(district_reviewer(world["heping"]))
    assert client.get(reverse("registry:person", args=[world["bob"].pk])).status_code == 404
    page = client.get(reverse("registry:people")).content.decode()
    assert "爱丽丝" in page and "鲍勃" not in page
    export = client.get(reverse("registry:people_export")).content.decode("utf-8-sig")
    assert "爱丽丝" in export and "鲍勃" not in export


def test_worker_cannot_open_registry_lists(client, world):
    client.force_login(worker(world["bob"]))
    assert client.get(reverse("registry:people")).status_code == 403
    assert client.get(reverse("registry:me")).status_code == 200
    assert client.get(reverse("registry:person", args=[world["alice"].pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("registry:people"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_audit_log_scoping(world):
    admin = bureau_admin()
    log_action(actor=admin, action="x.a", target=world["alice"])  # Heping
    log_action(actor=admin, action="x.b", target=world["org_b"])  # org B, Hexi
    assert AuditEvent.objects.visible_to(admin).filter(action__startswith="x.").count() == 2
    assert list(
        AuditEvent.objects.visible_to(district_reviewer(world["heping"])).values_list(
            "action", flat=True
        )
    ) == ["x.a"]
    assert list(
        AuditEvent.objects.visible_to(org_admin(world["org_b"])).values_list("action", flat=True)
    ) == ["x.b"]
    assert AuditEvent.objects.visible_to(org_staff(world["org_b"])).count() == 0
    assert AuditEvent.objects.visible_to(worker(world["alice"])).count() == 0


def test_audit_log_page_is_for_the_bureau_only(client, world):
    client.force_login(district_reviewer(world["heping"]))
    assert client.get(reverse("core:audit")).status_code == 403
    assert client.get(reverse("core:audit_export")).status_code == 403
    client.force_login(municipal_reviewer())
    assert client.get(reverse("core:audit")).status_code == 200
