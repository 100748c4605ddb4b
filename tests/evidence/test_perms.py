"""haihe.evidence.perms, directly: who sees, attaches and removes a claim's evidence."""

import pytest
from django.contrib.auth.models import AnonymousUser

from haihe.evidence import perms, services
from haihe.evidence.cases import CaseKind, register
from haihe.evidence.models import Evidence
from haihe.subsidies import services as claims
from tests.evidence import samples
from tests.evidence.conftest import upload
from tests.factories import bureau_admin, worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def row(filer, draft):
    return services.attach(
        actor=filer, case=draft, kind="invoice", uploaded_file=upload(samples.pdf())
    )


def test_the_institution_while_the_claim_is_a_draft(filer, colleague, draft, row):
    for user in (filer, colleague):
        assert perms.can_view_case_evidence(user, draft)
        assert perms.can_attach_evidence(user, draft)
        assert perms.can_view_evidence(user, row)
        assert perms.can_remove_evidence(user, row)


def test_the_institution_after_submission_sees_but_does_not_change(filer, draft, row):
    claims.claim_submit(actor=filer, claim=draft)
    draft.refresh_from_db()
    assert perms.can_view_evidence(filer, row)
    assert not perms.can_attach_evidence(filer, draft)
    assert not perms.can_remove_evidence(filer, row)


def test_reviewers_of_the_district_and_the_bureau_see_only(
    filer, draft, row, district_user, municipal_user
):
    for user in (district_user, municipal_user, bureau_admin()):
        assert perms.can_view_case_evidence(user, draft)
        assert perms.can_view_evidence(user, row)
        assert not perms.can_attach_evidence(user, draft)
        assert not perms.can_remove_evidence(user, row)


def test_nobody_else_sees_anything(draft, row, other_org_user, other_district_user):
    inactive = bureau_admin(is_active=False)
    for user in (
        other_org_user,
        other_district_user,
        worker(draft.lines.first().person),
        AnonymousUser(),
        inactive,
        None,
    ):
        assert not perms.can_view_case_evidence(user, draft)
        assert not perms.can_view_evidence(user, row)
        assert not perms.can_attach_evidence(user, draft)
        assert not perms.can_remove_evidence(user, row)
        assert list(Evidence.objects.visible_to(user)) == []


def test_a_removed_file_is_visible_to_nobody(filer, row, municipal_user):
    services.remove(actor=filer, evidence=row)
    row.refresh_from_db()
    assert not perms.can_view_evidence(filer, row)
    assert not perms.can_view_evidence(municipal_user, row)


def test_visible_to_follows_the_registered_case_scopes(filer, draft, row, district_user):
    assert list(Evidence.objects.visible_to(filer)) == [row]
    assert list(Evidence.objects.visible_to(district_user)) == [row]


def test_a_case_kind_is_registered_once():
    from haihe.subsidies.evidence import KIND

    assert register(KIND) is KIND
    with pytest.raises(ValueError):
        register(
            CaseKind(key=KIND.key, model="subsidies.Claim", kinds={}, visible=None, may_attach=None)
        )
    with pytest.raises(ValueError):
        register(
            CaseKind(
                key="x",
                model="subsidies.Claim",
                kinds={"Bad Code": "x"},
                visible=None,
                may_attach=None,
            )
        )
