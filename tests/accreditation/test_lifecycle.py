"""An application from draft to recognition: evidence, eligibility, the three stages, public
notice and its hook; returns, refusals, objections; four-eyes and visibility."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haihe.accreditation import services
from haihe.accreditation.models import Application, Recognition
from haihe.accreditation.workflows import APPLICATION_PIPELINE
from haihe.core.workflow import TransitionForbidden, TransitionNotPossible
from haihe.notices import services as notices
from haihe.notices.models import Notice
from tests.accreditation.conftest import attach_kind, good_centre, settle_panel
from tests.factories import OrganisationFactory, bureau_admin, district_reviewer, org_admin


def test_submit_is_refused_naming_the_missing_evidence_and_nothing_changes(applicant, centre_call):
    application = good_centre(applicant, centre_call)
    with pytest.raises(TransitionNotPossible, match="营业执照"):
        services.application_submit(actor=applicant, application=application)
    application.refresh_from_db()
    assert application.status == "draft" and application.submissions == 0


def test_submit_is_refused_while_a_condition_fails_with_the_reason(applicant, centre_call):
    application = services.application_create(actor=applicant, call=centre_call, trainers=2)
    attach_kind(applicant, application)
    with pytest.raises(TransitionNotPossible, match="至少应有 5 名"):
        services.application_submit(actor=applicant, application=application)
    services.application_update(actor=applicant, application=application, trainers=6, area=400)
    services.application_submit(actor=applicant, application=application)
    application.refresh_from_db()
    assert application.status == "submitted" and application.eligibility["ok"]
    assert application.stage_due_on is not None


def _through_district(applicant, reviewer, centre_call):
    application = good_centre(applicant, centre_call)
    attach_kind(applicant, application)
    services.application_submit(actor=applicant, application=application)
    services.application_decide(actor=reviewer, application=application, decision="approve")
    return application


def test_the_full_journey_grants_a_numbered_recognition(
    applicant, reviewer, municipal, admin, centre_call, clock
):
    application = _through_district(applicant, reviewer, centre_call)
    assert application.status == "district_approved"
    # the panel stage approves only once the panel's result is signed off
    with pytest.raises(TransitionNotPossible, match="专家"):
        services.application_decide(actor=municipal, application=application, decision="approve")
    settle_panel(admin, application)
    services.application_decide(actor=municipal, application=application, decision="approve")
    services.application_decide(actor=admin, application=application, decision="approve")
    application.refresh_from_db()
    assert application.status == "approved" and application.notice_id
    notice = Notice.objects.get(pk=application.notice_id)
    notices.notice_approve(actor=municipal_second(), notice=notice)
    clock.travel(datetime.date(2020, 7, 1))
    notices.notice_finalise_due()
    application.refresh_from_db()
    assert application.status == "granted"
    recognition = Recognition.objects.get(application=application)
    assert recognition.number.startswith("QP2020") and recognition.status == "active"
    assert recognition.valid_until == datetime.date(2023, 6, 30)


def municipal_second():
    from tests.factories import municipal_reviewer

    return municipal_reviewer()


def test_an_upheld_objection_sends_the_application_back_to_the_bureau(
    applicant, reviewer, municipal, admin, centre_call, clock
):
    application = _through_district(applicant, reviewer, centre_call)
    settle_panel(admin, application)
    services.application_decide(actor=municipal, application=application, decision="approve")
    services.application_decide(actor=admin, application=application, decision="approve")
    notice = notices.notice_approve(
        actor=municipal_second(), notice=Notice.objects.get(pk=application.notice_id)
    )
    objection, _receipt = notices.objection_submit(
        notice=notice,
        name="王小明",
        phone="13800138000",
        grounds="该企业培训场地为租用，且租期已满。",
        pledge=True,
        client_address="203.0.113.9",
    )
    handler = municipal_second()
    notices.objection_investigate(actor=handler, objection=objection)
    notices.objection_uphold(actor=handler, objection=objection, reason="经核实属实")
    clock.travel(datetime.date(2020, 7, 1))
    notices.notice_finalise_due()
    application.refresh_from_db()
    assert application.status == "panel_scored" and application.notice_id is None
    assert not Recognition.objects.exists()
    services.application_decide(
        actor=admin, application=application, decision="reject", reason="场地条件不符合"
    )
    application.refresh_from_db()
    assert application.status == "rejected"


def test_a_returned_application_is_resubmitted(applicant, reviewer, centre_call):
    application = good_centre(applicant, centre_call)
    attach_kind(applicant, application)
    services.application_submit(actor=applicant, application=application)
    with pytest.raises(ValidationError):
        services.application_decide(actor=reviewer, application=application, decision="return")
    services.application_decide(
        actor=reviewer, application=application, decision="return", reason="请补充场地证明"
    )
    assert application.status == "returned"
    attach_kind(applicant, application, "premises")
    services.application_submit(actor=applicant, application=application)
    application.refresh_from_db()
    assert application.status == "submitted" and application.submissions == 2


def test_a_reviewer_never_decides_their_own_organisations_case(heping, admin, centre_call):
    enterprise = OrganisationFactory(district=heping, kinds=["enterprise"])
    applicant = org_admin(enterprise)
    application = good_centre(applicant, centre_call)
    attach_kind(applicant, application)
    services.application_submit(actor=applicant, application=application)
    insider = district_reviewer(heping, organisation=enterprise)
    with pytest.raises(TransitionForbidden, match="本单位"):
        services.application_decide(actor=insider, application=application, decision="approve")
    assert not APPLICATION_PIPELINE.queue(Application.objects.all(), insider).exists()


def test_another_districts_reviewer_cannot_decide(applicant, hexi, centre_call):
    application = good_centre(applicant, centre_call)
    attach_kind(applicant, application)
    services.application_submit(actor=applicant, application=application)
    with pytest.raises(TransitionForbidden):
        services.application_decide(
            actor=district_reviewer(hexi), application=application, decision="approve"
        )


def test_one_person_cannot_act_at_two_stages(applicant, heping, admin, centre_call):
    from tests.factories import PersonFactory, municipal_reviewer

    person = PersonFactory()
    reviewer = district_reviewer(heping, person=person)
    application = _through_district(applicant, reviewer, centre_call)
    settle_panel(admin, application)
    same = municipal_reviewer(person=person)  # the same person's second account
    with pytest.raises(TransitionForbidden, match="两个审核环节"):
        services.application_decide(actor=same, application=application, decision="approve")


def test_an_applicant_never_sees_another_organisations_application(applicant, heping, centre_call):
    application = good_centre(applicant, centre_call)
    other = org_admin(OrganisationFactory(district=heping, kinds=["enterprise"]))
    assert not Application.objects.visible_to(other).filter(pk=application.pk).exists()
    with pytest.raises(PermissionDenied):
        services.application_update(actor=other, application=application, trainers=9)
    with pytest.raises(PermissionDenied):
        from haihe.evidence.services import attach
        from tests.accreditation.conftest import upload

        attach(actor=other, case=application, kind="other", uploaded_file=upload())


def test_a_district_reviewer_does_not_see_drafts(applicant, reviewer, centre_call):
    application = good_centre(applicant, centre_call)
    assert not Application.objects.visible_to(reviewer).filter(pk=application.pk).exists()


def test_only_organisations_of_an_allowed_kind_may_apply(heping, centre_call):
    school = OrganisationFactory(district=heping, kinds=["technical_school"])
    user = org_admin(school)
    application = services.application_create(actor=user, call=centre_call, trainers=9, area=900)
    attach_kind(user, application)
    with pytest.raises(TransitionNotPossible, match="登记类型"):
        services.application_submit(actor=user, application=application)


def test_one_live_application_per_call(applicant, centre_call):
    good_centre(applicant, centre_call)
    with pytest.raises(ValidationError):
        good_centre(applicant, centre_call)


def test_a_closed_call_takes_no_application(applicant, admin, centre_call):
    services.call_close(actor=admin, call=centre_call)
    with pytest.raises(ValidationError):
        good_centre(applicant, centre_call)


def test_bad_facts_are_refused(applicant, centre_call):
    with pytest.raises(ValidationError):
        services.application_create(actor=applicant, call=centre_call, trainers=-1)
    with pytest.raises(ValidationError):
        services.application_create(actor=applicant, call=centre_call, scope=[{"x": 1}])
    assert not Application.objects.exists()


def test_only_the_bureau_creates_calls(applicant, reviewer):
    from tests.accreditation.conftest import make_call

    for user in (applicant, reviewer):
        with pytest.raises(PermissionDenied):
            make_call(user)


def test_a_quota_stops_the_bureau_approving_more(heping, reviewer, municipal, admin):
    from tests.accreditation.conftest import make_call

    call = make_call(admin, quotas={"120101": 1})
    apps = []
    for _ in range(2):
        user = org_admin(OrganisationFactory(district=heping, kinds=["enterprise"]))
        application = _through_district(user, reviewer if not apps else district_reviewer(heping),
                                        call)  # fmt: skip
        apps.append(application)
    for application in apps:
        settle_panel(admin, application)
    services.application_decide(actor=municipal, application=apps[0], decision="approve")
    services.application_decide(actor=municipal, application=apps[1], decision="approve")
    services.application_decide(actor=admin, application=apps[0], decision="approve")
    with pytest.raises(TransitionNotPossible, match="名额"):
        services.application_decide(actor=bureau_admin(), application=apps[1], decision="approve")
