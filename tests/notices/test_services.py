"""Notices and objections through their services: the period, four eyes, the objection
workflow, finalisation and the module's hook, permissions and bad input."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from haihe.core.audit import trail_for
from haihe.core.models import AuditEvent
from haihe.notices import selectors, services
from haihe.notices.models import Notice, Objection
from haihe.policy.calendar import CalendarMissing
from haihe.policy.models import Parameter, ParameterValue
from haihe.registry.models import District
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    bureau_admin,
    district_reviewer,
    municipal_reviewer,
    org_admin,
    worker,
)
from tests.notices.conftest import ENDS_ON, PUBLISHED_ON, object_to

pytestmark = pytest.mark.django_db
D = datetime.date


def draft(staff, **overrides):
    values = {
        "actor": staff["preparer"],
        "kind": "tests.selection",
        "title": "测试公示",
        "body": "正文",
    }
    values.update(overrides)
    return services.notice_create(**values)


# -- the period ------------------------------------------------------------------------------


def test_the_period_is_five_working_days_counted_with_the_calendar(published):
    assert published.status == Notice.Status.PUBLISHED
    assert (published.starts_on, published.ends_on) == (PUBLISHED_ON, ENDS_ON)
    assert published.period_working_days == 5
    assert published.reference == "GS2020000001"  # core.numbering, per year
    assert selectors.period_messages(published) == [
        "自2020-09-28起计5个工作日，至2020-10-10止。",
        "其间的国庆节、中秋节假期（2020-10-01至2020-10-08）不计入。",
    ]
    reasons = published.period_explanation["reasons"]
    assert reasons[0]["parameter"] == "notices.default.period_working_days"
    assert reasons[0]["confirmed"] is False  # the default is an unconfirmed 5
    with translation.override("en"):
        assert selectors.period_messages(published)[0] == (
            "5 working days from 2020-09-28, ending on 2020-10-10."
        )


def test_a_kind_with_its_own_dated_period(staff, hook, on_2020):
    parameter = Parameter.objects.create(
        key="notices.tests.selection.period_working_days", label_zh="x", label_en="x"
    )
    ParameterValue.objects.create(
        parameter=parameter,
        region_code="120000",
        effective_from=D(2020, 1, 1),
        value=7,
        source="测试办法",
    )
    notice = services.notice_approve(actor=staff["approver"], notice=draft(staff))
    # 28, 29, 30 Sep, 9, 10 (Sat, worked), 12, 13 Oct
    assert (notice.period_working_days, notice.ends_on) == (7, D(2020, 10, 13))


def test_a_later_start_asked_for_by_the_draft(staff, hook, on_2020):
    notice = draft(staff, starts_on=D(2020, 10, 9))
    services.notice_approve(actor=staff["approver"], notice=notice)
    assert (notice.starts_on, notice.ends_on) == (D(2020, 10, 9), D(2020, 10, 14))
    assert notice.phase(PUBLISHED_ON) == "upcoming"
    with pytest.raises(services.NoticeClosed):
        object_to(notice)
    with pytest.raises(ValidationError) as refused:
        draft(staff, starts_on=D(2020, 9, 27))
    assert "starts_on" in refused.value.message_dict


def test_publishing_into_a_year_without_a_calendar_is_refused(staff, hook, clock):
    clock.travel(D(2026, 12, 28))
    notice = draft(staff)
    with pytest.raises(CalendarMissing) as refused:
        services.notice_approve(actor=staff["approver"], notice=notice)
    assert "2027年的工作日历" in refused.value.messages[0]
    notice.refresh_from_db()
    assert (notice.status, notice.starts_on, notice.approved_by) == ("draft", None, None)
    assert not AuditEvent.objects.filter(action="notice.approve").exists()


# -- who may publish -------------------------------------------------------------------------


def test_whoever_drafted_a_notice_cannot_approve_it(staff, hook, on_2020):
    notice = draft(staff)
    with pytest.raises(PermissionDenied):
        services.notice_approve(actor=staff["preparer"], notice=notice)
    person = PersonFactory()
    two_accounts = [bureau_admin(person=person), municipal_reviewer(person=person)]
    notice = draft(staff, actor=two_accounts[0])
    with pytest.raises(PermissionDenied):  # one person with two accounts is one person
        services.notice_approve(actor=two_accounts[1], notice=notice)
    assert Notice.objects.filter(status="published").count() == 0


@pytest.mark.parametrize("role", ["district", "org", "worker", "anonymous"])
def test_only_the_bureau_drafts_and_approves(staff, hook, on_2020, role, reference_data):
    from django.contrib.auth.models import AnonymousUser

    district = District.objects.first()
    user = {
        "district": lambda: district_reviewer(district),
        "org": lambda: org_admin(OrganisationFactory()),
        "worker": lambda: worker(PersonFactory()),
        "anonymous": AnonymousUser,
    }[role]()
    with pytest.raises(PermissionDenied):
        draft(staff, actor=user)
    notice = draft(staff)
    with pytest.raises(PermissionDenied):
        services.notice_approve(actor=user, notice=notice)
    assert Notice.objects.visible_to(user).count() == 0
    assert Objection.objects.visible_to(user).count() == 0


def test_bad_drafts_are_refused_field_by_field(staff, hook, on_2020):
    with pytest.raises(ValidationError) as refused:
        services.notice_create(
            actor=staff["preparer"],
            kind="no.such.kind",
            title="  ",
            body="x" * 20_001,
            contact="\x00",
        )
    assert set(refused.value.message_dict) == {"kind", "title", "body", "contact"}
    assert Notice.objects.count() == 0


# -- objections -------------------------------------------------------------------------------


def test_an_objection_is_received_with_a_reference_and_a_secret(published):
    objection, token = object_to(published, email="wxm@example.com", organisation="某公司")
    assert objection.status == "received"
    assert objection.reference == "YY2020000001"
    assert objection.token_digest != token and len(token) >= 20
    assert objection.client_digest != "203.0.113.7"  # the address itself is not kept
    published.refresh_from_db()
    assert (published.objections_total, published.objections_open) == (1, 1)
    assert selectors.objection_by_token(objection.reference, token) == objection
    assert selectors.objection_by_token(objection.reference.lower(), token) == objection
    typed = token.replace("-", " ").lower()  # as someone types it back
    assert selectors.objection_by_token(objection.reference, typed) == objection
    assert selectors.objection_by_token(objection.reference, token + "x") is None
    assert selectors.objection_by_token("YY2020999999", token) is None
    event = AuditEvent.objects.get(action="objection.received")
    assert event.channel == "public"
    assert "王小明" not in str(event.data) and "13800138000" not in str(event.data)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "王"),
        ("name", "王小明123"),
        ("name", "<b>王</b>"),
        ("phone", "12345"),
        ("phone", ""),
        ("email", "not-an-email"),
        ("organisation", "单" * 101),
        ("grounds", "太短"),
        ("grounds", "长" * 2001),
        ("pledge", False),
        ("pledge", "yes"),
    ],
)
def test_bad_objections_name_the_field_and_store_nothing(published, field, value):
    with pytest.raises(ValidationError) as refused:
        object_to(published, **{field: value})
    assert list(refused.value.message_dict) == [field]
    assert Objection.objects.count() == 0
    published.refresh_from_db()
    assert published.objections_total == 0


def test_names_as_people_have_them_are_accepted(published):
    for i, name in enumerate(["阿不都热合曼·买买提", "欧阳娜娜", "Anna Müller-Li"]):
        object_to(published, name=name, client_address=f"198.51.100.{i}")
    assert Objection.objects.count() == 3


def test_objections_are_limited_per_client_address(published, settings):
    settings.HAIHE_OBJECTIONS_PER_ADDRESS = 2
    object_to(published)
    object_to(published)
    with pytest.raises(services.TooManyObjections):
        object_to(published)
    object_to(published, client_address="198.51.100.9")  # another address is not held up
    assert Objection.objects.count() == 3


def test_no_objection_outside_the_period(published, clock, staff):
    clock.travel(ENDS_ON)
    object_to(published)  # the last day counts
    clock.travel(ENDS_ON + datetime.timedelta(days=1))
    with pytest.raises(services.NoticeClosed) as refused:
        object_to(published)
    assert "公示期已结束" in refused.value.messages[0]
    assert Objection.objects.count() == 1


def test_the_objection_workflow_with_reasons(published, staff):
    objection, _token = object_to(published)
    handler = staff["handler"]
    with pytest.raises(ValidationError):  # not before it is investigated
        services.objection_uphold(actor=handler, objection=objection, reason="属实")
    services.objection_investigate(actor=handler, objection=objection, note="函询单位")
    assert objection.status == "investigating"
    with pytest.raises(ValidationError) as refused:
        services.objection_uphold(actor=handler, objection=objection, reason="  ")
    assert "请填写理由" in refused.value.messages[0]
    services.objection_uphold(actor=handler, objection=objection, reason="经核实，李四已离职。")
    objection.refresh_from_db()
    assert (objection.status, objection.resolution, objection.handled_by) == (
        "upheld",
        "经核实，李四已离职。",
        handler,
    )
    published.refresh_from_db()
    assert (published.objections_open, published.objections_upheld) == (0, 1)
    actions = list(trail_for(objection).order_by("at", "id").values_list("action", flat=True))
    assert actions == ["objection.received", "objection.investigate", "objection.uphold"]


def test_whoever_drafted_or_approved_the_notice_cannot_decide_an_objection(published, staff):
    objection, _token = object_to(published)
    for actor in (staff["preparer"], staff["approver"]):
        with pytest.raises(PermissionDenied):
            services.objection_dismiss(actor=actor, objection=objection, reason="不成立")
    objection.refresh_from_db()
    assert objection.status == "received"


def test_the_objector_contact_is_revealed_to_the_bureau_only_and_audited(published, staff):
    objection, _token = object_to(published)
    revealed = services.objection_contact_reveal(actor=staff["handler"], objection=objection)
    assert revealed["phone"] == "13800138000"
    assert AuditEvent.objects.filter(action="objection.contact_viewed").count() == 1
    with pytest.raises(PermissionDenied):
        services.objection_contact_reveal(actor=worker(PersonFactory()), objection=objection)


# -- finalisation --------------------------------------------------------------------------


def test_nothing_is_final_during_the_period(published, hook, clock):
    for day in (PUBLISHED_ON, ENDS_ON):
        clock.travel(day)
        assert services.notice_finalise_due().closed == []
    published.refresh_from_db()
    assert published.status == "published"
    assert not selectors.is_final(published)
    assert hook.calls == []


def test_final_after_the_period_with_no_objection(published, hook, clock):
    clock.travel(ENDS_ON + datetime.timedelta(days=1))
    run = services.notice_finalise_due()
    assert run.closed == [published.pk]
    published.refresh_from_db()
    assert published.status == "final"
    assert hook.calls == [(published.pk, "final")]
    assert services.notice_finalise_due().closed == []  # once only
    assert hook.calls == [(published.pk, "final")]
    event = AuditEvent.objects.get(action="notice.finalise")
    assert (event.actor, event.actor_label, event.channel) == (None, "system", "system")


def test_an_open_objection_holds_the_result_until_it_is_decided(published, hook, clock, staff):
    objection, _token = object_to(published)
    clock.travel(ENDS_ON + datetime.timedelta(days=3))
    assert services.notice_finalise_due().closed == []
    published.refresh_from_db()
    assert published.phase(clock.today) == "reviewing"
    services.objection_dismiss(
        actor=staff["handler"], objection=objection, reason="经核实，李四为该单位在职职工。"
    )
    published.refresh_from_db()  # decided after the period: final at once, the module told
    assert published.status == "final"
    assert hook.calls == [(published.pk, "final")]


def test_an_upheld_objection_closes_the_notice_as_upheld(published, hook, clock, staff):
    objection, _token = object_to(published)
    services.objection_investigate(actor=staff["handler"], objection=objection)
    services.objection_uphold(actor=staff["handler"], objection=objection, reason="属实")
    assert hook.calls == []  # not before the period has ended
    clock.travel(ENDS_ON + datetime.timedelta(days=1))
    services.notice_finalise_due()
    published.refresh_from_db()
    assert published.status == "objection_upheld"
    assert hook.calls == [(published.pk, "objection_upheld")]
    assert not selectors.is_final(published)


def test_a_failing_module_hook_rolls_back_its_notice_only(published, hook, clock, staff):
    other = services.notice_approve(
        actor=staff["approver"],
        notice=draft(staff, kind="notices.announcement", title="另一公示"),
    )
    hook.fail = True
    clock.travel(ENDS_ON + datetime.timedelta(days=1))
    run = services.notice_finalise_due()
    assert (run.closed, run.failed) == ([other.pk], [published.pk])
    published.refresh_from_db()
    assert published.status == "published"
    hook.fail = False
    assert services.notice_finalise_due().closed == [published.pk]


def test_a_withdrawn_notice_tells_its_module_and_stops_objections(published, hook, staff):
    with pytest.raises(ValidationError):
        services.notice_withdraw(actor=staff["approver"], notice=published, reason="")
    services.notice_withdraw(actor=staff["approver"], notice=published, reason="名单有误，重新公示")
    assert published.status == "withdrawn"
    assert hook.calls == [(published.pk, "withdrawn")]
    with pytest.raises(services.NoticeClosed):
        object_to(published)


def test_a_module_finds_the_notice_of_its_own_row(staff, hook, on_2020, clock):
    subject = PersonFactory()  # any saved row a module publishes a result about
    assert selectors.current_notice(subject) is None
    first = draft(staff, target=subject)
    services.notice_withdraw(actor=staff["approver"], notice=first, reason="重拟")
    second = services.notice_approve(actor=staff["approver"], notice=draft(staff, target=subject))
    assert selectors.current_notice(subject) == second
    assert list(selectors.notices_for(subject)) == [second, first]
    assert not selectors.is_final(subject)
    clock.travel(ENDS_ON + datetime.timedelta(days=1))
    services.notice_finalise_due()
    assert selectors.is_final(subject)
