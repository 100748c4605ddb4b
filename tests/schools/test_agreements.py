"""School–enterprise cooperation agreements: recorded with the signed agreement, reviewed by the
district and the bureau; the enterprise sees the agreements it is party to, read-only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haihe.core.workflow import TransitionForbidden, TransitionNotPossible
from haihe.schools import services
from haihe.schools.models import Agreement
from tests.schools import factories as f

pytestmark = pytest.mark.django_db


def test_an_agreement_is_reviewed_and_recorded(filer, partner, district_user, municipal_user):
    agreement = f.approved_agreement(filer, partner, district_user, municipal_user)
    agreement.refresh_from_db()
    assert agreement.status == "approved" and agreement.number.startswith("XQ2026")
    assert agreement.enterprise == partner and agreement.students == 30


def test_the_signed_agreement_is_required_and_only_as_pdf(filer, partner):
    agreement = services.agreement_create(actor=filer, data=f.agreement_data(partner))
    with pytest.raises(TransitionNotPossible, match="签署的合作协议"):
        services.agreement_submit(actor=filer, agreement=agreement)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from haihe.evidence import services as evidence
    from tests.evidence import samples

    with pytest.raises(ValidationError, match="PDF"):
        evidence.attach(
            actor=filer,
            case=agreement,
            kind="signed_agreement",
            uploaded_file=SimpleUploadedFile("scan.png", samples.png()),
        )
    assert Agreement.objects.get(pk=agreement.pk).status == "draft"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("form", "gift"),
        ("students", 0),
        ("students", 5001),
        ("end_date", datetime.date(2025, 1, 1)),  # before the start
        ("enterprise", "91120101XXXXXXXXXX"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(filer, partner, field, value):
    with pytest.raises(ValidationError) as caught:
        services.agreement_create(actor=filer, data=f.agreement_data(partner, **{field: value}))
    assert field in caught.value.message_dict
    assert not Agreement.objects.exists()


def test_the_partner_must_be_an_enterprise_not_the_school_itself(filer, school, heping):
    with pytest.raises(ValidationError) as caught:
        services.agreement_create(actor=filer, data=f.agreement_data(school))
    assert "enterprise" in caught.value.message_dict
    other_school = f.school(heping)
    with pytest.raises(ValidationError):
        services.agreement_create(actor=filer, data=f.agreement_data(other_school))


def test_the_major_must_be_an_approved_major_of_the_school(
    filer, partner, other_school_user, district_user, municipal_user
):
    foreign = services.major_create(actor=other_school_user, data=f.major_data())
    with pytest.raises(ValidationError) as caught:
        services.agreement_create(actor=filer, data=f.agreement_data(partner, major=foreign.pk))
    assert "major" in caught.value.message_dict


def test_the_enterprise_sees_its_agreements_once_submitted_and_never_others(
    filer, partner, partner_user, stranger_enterprise_user, client
):
    agreement = services.agreement_create(actor=filer, data=f.agreement_data(partner))
    assert not Agreement.objects.visible_to(partner_user).exists()  # a draft is the school's
    f.attach(filer, agreement, "signed_agreement")
    services.agreement_submit(actor=filer, agreement=agreement)
    assert list(Agreement.objects.visible_to(partner_user)) == [agreement]
    assert not Agreement.objects.visible_to(stranger_enterprise_user).exists()
    client.force_login(partner_user)
    page = client.get(f"/schools/agreements/{agreement.pk}/")
    assert page.status_code == 200
    assert b'data-testid="submit-case"' not in page.content
    assert b'data-testid="review-submit"' not in page.content
    assert client.post(f"/schools/agreements/{agreement.pk}/withdraw/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.agreement_update(actor=partner_user, agreement=agreement, data={"students": 5})
    client.force_login(stranger_enterprise_user)
    assert client.get(f"/schools/agreements/{agreement.pk}/").status_code == 404


def test_a_school_never_sees_another_schools_agreements(filer, partner, other_school_user):
    agreement = services.agreement_create(actor=filer, data=f.agreement_data(partner))
    assert not Agreement.objects.visible_to(other_school_user).exists()
    with pytest.raises(PermissionDenied):
        services.agreement_update(
            actor=other_school_user, agreement=agreement, data={"students": 5}
        )


def test_a_reviewer_who_works_for_the_partner_enterprise_may_not_review(filer, partner, heping):
    from haihe.registry.models import Affiliation
    from tests.factories import PersonFactory, district_reviewer

    agreement = services.agreement_create(actor=filer, data=f.agreement_data(partner))
    f.attach(filer, agreement, "signed_agreement")
    services.agreement_submit(actor=filer, agreement=agreement)
    person = PersonFactory(district=heping)
    Affiliation.objects.create(
        organisation=partner, person=person, relation="employee", since="2020-01-01"
    )
    reviewer = district_reviewer(heping, person=person)
    with pytest.raises(TransitionForbidden):
        services.agreement_decide(actor=reviewer, agreement=agreement, decision="approve")
    assert Agreement.objects.get(pk=agreement.pk).status == "submitted"
