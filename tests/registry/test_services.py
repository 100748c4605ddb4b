"""Registry services: one person per RIC, derived facts, PII reveal, and an audit entry each."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haihe.core.models import AuditEvent
from haihe.registry import services
from haihe.registry.models import Affiliation, KeyGroupMembership, Person
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    bureau_admin,
    district_reviewer,
    make_ric,
    org_admin,
    org_staff,
    worker,
)

pytestmark = pytest.mark.django_db


def audit_actions(obj=None):
    qs = AuditEvent.objects.all()
    if obj is not None:
        qs = qs.filter(target_id=str(obj.pk))
    return list(qs.values_list("action", flat=True))


def test_register_derives_birth_date_and_sex(districts):
    ric = make_ric(datetime.date(1985, 12, 31), "F")
    person = services.person_register(
        actor=bureau_admin(), ric=ric.lower(), name=" 王芳 ", district=districts["120101"]
    ).person
    assert person.birth_date == datetime.date(1985, 12, 31)
    assert person.sex == "F"
    assert person.name == "王芳"
    assert "person.registered" in audit_actions(person)


def test_register_twice_never_creates_a_twin(districts):
    admin = bureau_admin()
    ric = make_ric()
    first = services.person_register(
        actor=admin, ric=ric, name="张伟", district=districts["120101"]
    ).person
    second = services.person_register(
        actor=admin, ric=ric, name="张伟", district=districts["120103"]
    ).person
    assert first.pk == second.pk
    assert Person.objects.filter(ric=ric).count() == 1


def test_register_refuses_a_different_name_for_a_known_ric(districts):
    ric = make_ric()
    services.person_register(
        actor=bureau_admin(), ric=ric, name="张伟", district=districts["120101"]
    )
    with pytest.raises(ValidationError):
        services.person_register(
            actor=bureau_admin(), ric=ric, name="李伟", district=districts["120101"]
        )
    assert Person.objects.get(ric=ric).name == "张伟"


def test_register_by_an_organisation_registers_but_ties_nobody_to_it(districts):
    org = OrganisationFactory(district=districts["120101"])
    staff = org_staff(org)
    ric = make_ric()
    registration = services.person_register(
        actor=staff, ric=ric, name="赵敏", district=districts["120101"]
    )
    assert registration.person is None and registration.name == "赵敏"
    person = Person.objects.get(ric=ric)
    assert not Affiliation.objects.filter(organisation=org, person=person).exists()
    assert not Person.objects.visible_to(staff).filter(pk=person.pk).exists()
    assert audit_actions(person) == ["person.registered"]


@pytest.mark.parametrize("bad", ["120101199003071230", "abc", ""])
def test_register_bad_ric_changes_nothing(districts, bad):
    with pytest.raises(ValidationError):
        services.person_register(
            actor=bureau_admin(), ric=bad, name="某人", district=districts["120101"]
        )
    assert Person.objects.count() == 0
    assert AuditEvent.objects.filter(action="person.registered").count() == 0


def test_workers_and_reviewers_cannot_register(districts):
    person = PersonFactory(district=districts["120101"])
    for user in (
        worker(person),
        district_reviewer(districts["120101"]),
        UserFactory(role="expert"),
    ):
        with pytest.raises(PermissionDenied):
            services.person_register(
                actor=user, ric=make_ric(), name="某人", district=districts["120101"]
            )


def test_update_is_audited_with_a_diff(districts):
    person = PersonFactory(district=districts["120101"], mobile="13800000000")
    services.person_update(actor=bureau_admin(), person=person, mobile="139 0000 0000")
    event = AuditEvent.objects.get(action="person.updated")
    assert event.data == {"mobile": ["13800000000", "13900000000"]}


def test_update_by_an_organisation_is_refused(districts):
    org = OrganisationFactory(district=districts["120101"])
    person = PersonFactory(district=districts["120101"])
    with pytest.raises(PermissionDenied):
        services.person_update(actor=org_admin(org), person=person, name="改名")


def test_reveal_is_audited_and_scoped(districts):
    heping, hexi = districts["120101"], districts["120103"]
    person = PersonFactory(district=heping)
    reviewer = district_reviewer(heping)
    with pytest.raises(ValidationError):  # a purpose is stated
        services.person_reveal(actor=reviewer, person=person, purpose="")
    with pytest.raises(ValidationError):  # "other" is explained
        services.person_reveal(actor=reviewer, person=person, purpose="other")
    revealed = services.person_reveal(actor=reviewer, person=person, purpose="contact")
    assert revealed["ric"] == person.ric
    assert audit_actions(person) == ["person.pii_viewed"]
    with pytest.raises(PermissionDenied):
        services.person_reveal(actor=district_reviewer(hexi), person=person, purpose="contact")
    org = OrganisationFactory(district=heping)
    with pytest.raises(PermissionDenied):  # staff see masked values only
        services.person_reveal(actor=org_staff(org), person=person, purpose="contact")
    with pytest.raises(PermissionDenied):  # an admin of an organisation the person is not tied to
        services.person_reveal(actor=org_admin(org), person=person, purpose="contact")
    own = services.person_reveal(actor=worker(person), person=person, purpose="own_record")
    assert own["ric"] == person.ric


def test_key_group_add_and_void(districts):
    admin = bureau_admin()
    person = PersonFactory(district=districts["120101"])
    membership = services.key_group_add(
        actor=admin,
        person=person,
        group="unemployed_graduate",
        valid_from=datetime.date(2020, 7, 1),
        valid_until=datetime.date(2022, 6, 30),
        evidence="毕业证书 2020",
    )
    assert membership.is_valid_on(datetime.date(2021, 1, 1))
    assert not membership.is_valid_on(datetime.date(2022, 7, 1))
    with pytest.raises(ValidationError):
        services.key_group_void(actor=admin, membership=membership, reason=" ")
    services.key_group_void(actor=admin, membership=membership, reason="材料有误")
    membership.refresh_from_db()
    assert not membership.is_valid_on(datetime.date(2021, 1, 1))
    assert KeyGroupMembership.objects.count() == 1  # voided, never deleted
    assert audit_actions(person) == ["person.key_group_voided", "person.key_group_added"]


def test_key_group_period_must_be_ordered(districts):
    person = PersonFactory(district=districts["120101"])
    with pytest.raises(ValidationError):
        services.key_group_add(
            actor=bureau_admin(),
            person=person,
            group="veteran",
            valid_from=datetime.date(2020, 7, 1),
            valid_until=datetime.date(2020, 6, 30),
            evidence="x",
        )


def test_organisation_register_update_and_insurance(districts):
    admin = bureau_admin()
    from tests.factories import make_uscc

    code = make_uscc()
    org = services.organisation_register(
        actor=admin,
        uscc=code,
        name="天津测试有限公司",
        district=districts["120116"],
        kinds=["enterprise", "training_institution"],
        size_class="small",
    )
    assert sorted(org.kind_codes()) == ["enterprise", "training_institution"]
    with pytest.raises(ValidationError):
        services.organisation_register(
            actor=admin, uscc=code, name="重复", district=districts["120116"], kinds=["enterprise"]
        )
    services.organisation_update(actor=admin, organisation=org, address="滨海新区一号路")
    services.insurance_period_add(
        actor=admin, organisation=org, status="insured", valid_from=datetime.date(2019, 1, 1)
    )
    services.insurance_period_add(
        actor=admin, organisation=org, status="arrears", valid_from=datetime.date(2020, 3, 1)
    )
    first = org.insurance_periods.get(status="insured")
    assert first.valid_until == datetime.date(2020, 2, 29)
    assert audit_actions(org) == [
        "organisation.insurance_changed",
        "organisation.insurance_changed",
        "organisation.updated",
        "organisation.registered",
    ]
    own_admin = org_admin(org)
    services.organisation_update(actor=own_admin, organisation=org, contact_name="刘明")
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=own_admin, organisation=org, name="改名")
    other = OrganisationFactory(district=districts["120101"])
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=org_admin(other), organisation=org, contact_name="x")


def test_occupation_catalogue_replace_deactivates_missing(reference_data):
    from haihe.registry.models import Occupation

    text = "code,name_zh,name_en,levels\n4-03-02-01,中式烹调师,Chinese-style cook,5;4;3;2;1\n"
    summary = services.occupations_replace(actor=bureau_admin(), text=text)
    assert summary["updated"] == 1 and summary["deactivated"] == Occupation.objects.count() - 1
    assert Occupation.objects.filter(active=True).count() == 1
    bad = "code,name_zh,name_en,levels\n4-03-02,坏,Bad,5\n1-01-01-01,好,Good,9\n"
    with pytest.raises(ValidationError) as exc:
        services.occupations_replace(actor=bureau_admin(), text=bad)
    assert len(exc.value.messages) == 2
    assert Occupation.objects.filter(active=True).count() == 1
