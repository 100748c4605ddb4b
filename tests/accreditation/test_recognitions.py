"""Recognitions live: platforms' xAPI credentials follow their recognition; an evaluation
body certifies what its scope names while in force; a studio's leader qualifies by certificate
or title; annual reports, change requests; the figures."""

import base64
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haihe.accreditation import selectors, services
from haihe.accreditation.models import Application, Recognition
from haihe.core.figures import FIGURES, compute_all
from haihe.registry.models import Occupation
from haihe.xapi.auth import authenticate
from haihe.xapi.errors import XAPIError
from haihe.xapi.services import credential_issue
from tests.accreditation.conftest import grant, make_call
from tests.factories import OrganisationFactory, PersonFactory, district_reviewer, org_admin
from tests.panels.factories import employ


def _basic(key, secret):
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def test_a_platform_recognition_is_its_selection_and_its_credentials_follow_it(admin, heping):
    platform = OrganisationFactory(district=heping, kinds=["online_training_platform"])
    recognition = grant(admin, platform, "online_platform")
    assert recognition.xapi_selection is not None
    assert recognition.xapi_selection.organisation_id == platform.pk
    _c, key, secret = credential_issue(actor=None, organisation=platform)
    assert authenticate(_basic(key, secret)).platform_id == platform.pk
    services.recognition_suspend(actor=admin, recognition=recognition, reason="人脸核验缺失")
    with pytest.raises(XAPIError) as refused:
        authenticate(_basic(key, secret))
    assert refused.value.status == 403
    services.recognition_reinstate(actor=admin, recognition=recognition, reason="已整改")
    assert authenticate(_basic(key, secret)).platform_id == platform.pk
    assert compute_all(datetime.date(2020, 12, 31))["online_training_platforms"] == 1
    services.recognition_revoke(actor=admin, recognition=recognition, reason="弄虚作假")
    with pytest.raises(XAPIError):
        authenticate(_basic(key, secret))
    recognition.refresh_from_db()
    assert recognition.status == "revoked" and recognition.status_reason == "弄虚作假"


def test_only_the_bureau_suspends_and_a_reason_is_needed(admin, heping, applicant):
    platform = OrganisationFactory(district=heping, kinds=["online_training_platform"])
    recognition = grant(admin, platform, "online_platform")
    for user in (applicant, district_reviewer(heping), org_admin(platform)):
        with pytest.raises(PermissionDenied):
            services.recognition_suspend(actor=user, recognition=recognition, reason="x")
    with pytest.raises(ValidationError):
        services.recognition_suspend(actor=admin, recognition=recognition, reason=" ")


def _occupation_level():
    occupation = Occupation.objects.exclude(levels=[]).first()
    return occupation, occupation.levels[0]


def test_an_evaluation_body_certifies_its_scope_while_in_force(admin, heping, clock):
    occupation, level = _occupation_level()
    body = OrganisationFactory(district=heping, kinds=["enterprise"])
    scope = [{"occupation": occupation.code, "level": level}]
    recognition = grant(admin, body, "evaluation_body", trainers=5, scope=scope)
    on = recognition.valid_from
    assert selectors.may_certify(body, occupation, level, on=on)
    assert not selectors.may_certify(body, occupation, 5 if level != 5 else 4, on=on)
    assert not selectors.may_certify(body, occupation, level, on=on - datetime.timedelta(days=1))
    clock.travel(on + datetime.timedelta(days=30))
    services.recognition_revoke(actor=admin, recognition=recognition, reason="违规发证")
    # certificates issued before the revocation stay valid; none from that date
    assert selectors.may_certify(body, occupation, level, on=on + datetime.timedelta(days=10))
    assert not selectors.may_certify(body, occupation, level, on=clock.today)
    decision = selectors.certify_decision(body, occupation.code, level, on=clock.today)
    assert not decision.ok and "没有有效" in decision.refusals[0].message


def test_an_evaluation_body_scope_must_be_of_the_catalogue(admin, heping):
    call = make_call(admin, kind="evaluation_body", required=())
    user = org_admin(OrganisationFactory(district=heping, kinds=["technical_school"]))
    application = services.application_create(
        actor=user, call=call, trainers=5, scope=[{"occupation": "9-99-99-99", "level": 3}]
    )
    decision = services.eligibility_of(application)
    assert not decision.ok
    assert any(r.rule == "accreditation.scope_invalid" for r in decision.refusals)
    empty = services.preview(organisation=user.organisation, call=call, data={"trainers": 5})
    assert any(r.rule == "accreditation.scope_missing" for r in empty.refusals)


def _studio_call(admin):
    return make_call(admin, kind="master_studio", required=())


def test_a_studio_leader_must_be_employed_and_qualified(admin, heping):
    call = _studio_call(admin)
    firm = OrganisationFactory(district=heping, kinds=["enterprise"])
    leader = PersonFactory()
    data = {"leader": leader.pk, "leader_title": ""}
    decision = services.preview(organisation=firm, call=call, data=data)
    rules = {r.rule for r in decision.refusals}
    assert {"accreditation.leader_not_employed", "accreditation.leader_unqualified"} <= rules
    employ(leader, firm)
    decision = services.preview(
        organisation=firm, call=call, data={**data, "leader_title": "天津市技术能手"}
    )
    assert decision.ok, [r.message for r in decision.refusals]
    unknown = services.preview(organisation=firm, call=call, data={**data, "leader_title": "能人"})
    assert not unknown.ok


def test_a_studio_leader_with_a_level_one_certificate_qualifies(admin, heping):
    from tests.subsidies import factories as sf

    call = _studio_call(admin)
    firm = OrganisationFactory(district=heping, kinds=["enterprise"])
    _klass, outcomes = sf.class_with_outcomes(
        sf.institution(heping), n=1, start=datetime.date(2019, 3, 1)
    )
    outcome = outcomes[0]
    leader = outcome.enrolment.person
    employ(leader, firm)
    data = {"leader": leader.pk}
    type(outcome).objects.filter(pk=outcome.pk).update(level=2)
    assert not services.preview(organisation=firm, call=call, data=data).ok
    type(outcome).objects.filter(pk=outcome.pk).update(level=1)
    decision = services.preview(organisation=firm, call=call, data=data)
    assert decision.ok and any(
        r.rule == "accreditation.leader_certificate" for r in decision.reasons
    )


def test_annual_report_and_change_request(admin, heping):
    occupation, level = _occupation_level()
    body = OrganisationFactory(district=heping, kinds=["enterprise"])
    recognition = grant(
        admin, body, "evaluation_body", trainers=5,
        scope=[{"occupation": occupation.code, "level": level}],
    )  # fmt: skip
    holder = org_admin(body)
    report = services.report_submit(
        actor=holder, recognition=recognition, year=2020, trained=120, body="全年评价 120 人次"
    )
    with pytest.raises(ValidationError):
        services.report_submit(
            actor=holder, recognition=recognition, year=2020, trained=1, body="x"
        )
    with pytest.raises(PermissionDenied):
        services.report_submit(
            actor=org_admin(OrganisationFactory(district=heping)), recognition=recognition,
            year=2020, trained=1, body="x",
        )  # fmt: skip
    services.report_check(actor=district_reviewer(heping), report=report, accept=True)
    assert report.status == "accepted"
    other = Occupation.objects.exclude(pk=occupation.pk).exclude(levels=[]).first()
    new_scope = [*recognition.scope, {"occupation": other.code, "level": other.levels[0]}]
    request = services.change_request(
        actor=holder,
        recognition=recognition,
        change="scope",
        new_scope=new_scope,
        reason="新增职业",
    )
    with pytest.raises(PermissionDenied):
        services.change_decide(actor=holder, request=request, approve=True)
    services.change_decide(actor=admin, request=request, approve=True)
    recognition.refresh_from_db()
    assert len(recognition.scope) == 2
    assert selectors.may_certify(body, other, other.levels[0], on=recognition.valid_from)


def test_figures_count_recognitions_in_force_by_district(admin, heping):
    firm = OrganisationFactory(district=heping, kinds=["enterprise"])
    recognition = grant(
        admin, firm, "enterprise_training_centre", required=("business_licence",),
        trainers=8, area=500,
    )  # fmt: skip
    day = recognition.valid_from
    values = compute_all(day)
    assert values["enterprise_training_centres_recognised"] == 1
    assert values["enterprise_training_centres_total"] == 1
    assert values["evaluation_bodies_filed_enterprises"] == 0
    assert FIGURES["enterprise_training_centres_total"].by_district(day)["120101"] == 1
    assert compute_all(day - datetime.timedelta(days=1))["enterprise_training_centres_total"] == 0
    assert Application.objects.get().status == "granted"
    assert Recognition.objects.count() == 1


def test_expiry_is_the_platforms_daily_step(admin, heping):
    firm = OrganisationFactory(district=heping, kinds=["enterprise"])
    recognition = grant(admin, firm, "enterprise_training_centre", trainers=8, area=500)
    assert services.recognitions_expire_due(today=recognition.valid_until) == 0
    assert (
        services.recognitions_expire_due(today=recognition.valid_until + datetime.timedelta(1)) == 1
    )
    recognition.refresh_from_db()
    assert recognition.status == "expired"
