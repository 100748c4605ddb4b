"""The supervision API (/api/v1/supervision): verified hours with their explanation, a trainee's
sessions, the flag queue and closing a flag. Scoped like the pages: another district's or
organisation's rows are a 404, a role that may not close a flag is a 403, and bad input is a 4xx
with a message that changes nothing."""

import pytest
from django.test import Client

from haihe.accounts.services import token_issue
from haihe.core.models import AuditEvent
from haihe.supervision.models import Flag, FlagStatus
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    bureau_admin,
    district_reviewer,
    municipal_reviewer,
    org_admin,
    org_staff,
    worker,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/supervision"


def _client(user):
    _token, secret = token_issue(actor=bureau_admin(), user=user, name="system")
    return Client(headers={"authorization": f"Bearer {secret}"})


@pytest.fixture
def flagged(world):
    """A Heping class on platform 1: a counted hour, and a session without face checks."""
    world.register(world.person)
    world.session(world.at(9), world.at(10))
    world.session(world.at(11), world.at(12), checks=[])
    return Flag.objects.get(kind="face_check")


@pytest.fixture
def bureau():
    return _client(municipal_reviewer())


def _post(client, url, body, **kw):
    return client.post(url, body, content_type="application/json", **kw)


def _unchanged(flag):
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    assert flag.closed_by is None and flag.close_reason == ""
    assert (
        not AuditEvent.objects.filter(action__startswith="supervision_flag.")
        .exclude(action="supervision_flag.raised")
        .exists()
    )


# verified hours -----------------------------------------------------------------------------
def test_hours_list_and_detail_explain_what_counted(bureau, world, flagged):
    listed = bureau.get(f"{BASE}/hours", {"class_id": world.klass.pk})
    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 1
    row = body["items"][0]
    assert row["enrolment_id"] == world.enrolment.pk
    assert row["hours"] == "1.00" and row["seconds"] == 3600
    assert row["planned_hours"] == "40.00"
    assert world.person.ric not in listed.content.decode()  # masked
    assert row["person"].startswith("张三 (1201")

    detail = bureau.get(f"{BASE}/hours/{world.enrolment.pk}")
    assert detail.status_code == 200
    data = detail.json()
    assert data["hours"] == "1.00" and data["ok"] is False
    assert data["sessions_by_status"] == {"open": 0, "counted": 1, "partial": 0, "excluded": 1}
    total = data["explanation"][0]
    assert total["rule"] == "supervision.enrolment_total"
    assert total["message"].startswith("核验学时 1.00 小时：1 个会话计入")
    refusal = data["explanation"][1]
    assert refusal["rule"] == "supervision.face_check_start" and refusal["ok"] is False
    assert refusal["parameter"] == "supervision.face_check_start_tolerance_minutes"
    assert refusal["value"] == 5 and refusal["effective_from"]
    counted, excluded = data["sessions"]
    assert counted["status"] == "counted" and counted["counted_hours"] == "1.00"
    assert counted["face_checks_passed"] == 2 and counted["face_checks_failed"] == 0
    assert [r["rule"] for r in counted["reasons"]][-1] == "supervision.counted"
    assert excluded["status"] == "excluded" and excluded["counted_seconds"] == 0
    assert excluded["status_label"] == "不计入"
    assert excluded["reasons"][0]["message"].startswith("开始学习前后 5 分钟内没有通过的人脸核验")


def test_hours_of_an_enrolment_without_statements_is_zero(bureau, world):
    other = world.enrol(
        PersonFactory(district=world.heping),
        world.klass,
    )
    response = bureau.get(f"{BASE}/hours/{other.pk}")
    assert response.status_code == 200
    assert response.json()["hours"] == "0.00" and response.json()["computed_at"] is None
    assert response.json()["sessions"] == [] and response.json()["explanation"] == []


def test_explanations_follow_the_callers_language(bureau, world, flagged):
    data = bureau.get(
        f"{BASE}/hours/{world.enrolment.pk}", headers={"accept-language": "en"}
    ).json()
    assert data["explanation"][1]["message"].startswith(
        "No successful face check within 5 minutes of the start"
    )
    assert data["sessions"][1]["status_label"] == "Not counted"
    flags = bureau.get(f"{BASE}/flags", headers={"accept-language": "en"}).json()
    assert flags["items"][0]["status_label"] == "Open"


# a trainee's sessions -----------------------------------------------------------------------
def test_trainee_sessions_across_platforms(bureau, world, flagged):
    klass2 = world.make_class(platform=world.platform2, district=world.hexi)
    e2 = world.enrol(world.person, klass2)
    world.register(world.person, platform=world.platform2)
    world.session(world.at(9, 30), world.at(10, 30), enrolment=e2, platform=world.platform2)
    response = bureau.get(f"{BASE}/trainees/{world.person.pk}/sessions")
    assert response.status_code == 200
    rows = response.json()["items"]
    assert [r["platform_id"] for r in rows] == [
        world.platform.pk,
        world.platform2.pk,
        world.platform.pk,
    ]
    overlapping = rows[1]
    assert overlapping["status"] == "partial" and overlapping["counted_seconds"] == 1800
    assert any(r["rule"] == "supervision.overlap" for r in overlapping["reasons"])
    only_excluded = bureau.get(
        f"{BASE}/trainees/{world.person.pk}/sessions", {"status": "excluded"}
    ).json()
    assert only_excluded["count"] == 1
    # a district reviewer sees only their district's classes' sessions of the same person
    hexi = _client(district_reviewer(world.hexi)).get(f"{BASE}/trainees/{world.person.pk}/sessions")
    assert [r["platform_id"] for r in hexi.json()["items"]] == [world.platform2.pk]


def test_trainee_sessions_bad_filters_are_refused_with_a_message(bureau, world, flagged):
    url = f"{BASE}/trainees/{world.person.pk}/sessions"
    bad = bureau.get(url, {"status": "maybe"})
    assert bad.status_code == 422
    [error] = bad.json()["errors"]
    assert error["field"] == "status" and "counted" in error["message"]
    reversed_dates = bureau.get(url, {"date_from": "2020-05-12", "date_to": "2020-05-01"})
    assert reversed_dates.status_code == 400
    assert reversed_dates.json()["errors"] == [
        {"field": "date_to", "message": "开始日期不能晚于结束日期。", "loc": ["date_to"]}
    ]
    assert bureau.get(url, {"date_from": "yesterday"}).status_code == 422


# scoping ------------------------------------------------------------------------------------
def test_another_district_sees_nothing(world, flagged):
    other = _client(district_reviewer(world.hexi))
    assert other.get(f"{BASE}/hours/{world.enrolment.pk}").status_code == 404
    assert other.get(f"{BASE}/hours").json()["items"] == []
    assert other.get(f"{BASE}/trainees/{world.person.pk}/sessions").status_code == 404
    assert other.get(f"{BASE}/flags").json() == {"items": [], "count": 0}
    assert other.get(f"{BASE}/flags/{flagged.pk}").status_code == 404
    response = _post(other, f"{BASE}/flags/{flagged.pk}/resolve", {"reason": "已核实"})
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到，或不在您的查看范围内。"
    _unchanged(flagged)


def test_another_platform_sees_nothing_and_its_own_platform_sees_its_rows(world, flagged):
    other = _client(org_admin(world.platform2))
    assert other.get(f"{BASE}/hours/{world.enrolment.pk}").status_code == 404
    assert other.get(f"{BASE}/flags/{flagged.pk}").status_code == 404
    assert other.get(f"{BASE}/trainees/{world.person.pk}/sessions").status_code == 404
    assert _post(other, f"{BASE}/flags/{flagged.pk}/dismiss", {"reason": "x"}).status_code == 404
    own = _client(org_staff(world.platform))
    assert own.get(f"{BASE}/hours/{world.enrolment.pk}").status_code == 200
    seen = own.get(f"{BASE}/flags/{flagged.pk}")
    assert seen.status_code == 200 and seen.json()["can_close"] is False
    _unchanged(flagged)


def test_roles_outside_supervision_are_refused(world, flagged):
    for user in (worker(world.person), org_admin(world.institution)):
        client = _client(user)
        response = client.get(f"{BASE}/flags")
        assert response.status_code == 403
        assert response.json()["detail"] == "您无权查看线上培训监管数据。"
        assert client.get(f"{BASE}/hours/{world.enrolment.pk}").status_code == 403
    english = _client(worker(world.person)).get(f"{BASE}/flags", headers={"accept-language": "en"})
    assert english.json()["detail"] == "You may not view online training supervision data."
    assert Client().get(f"{BASE}/flags").status_code == 401


# the flag queue -----------------------------------------------------------------------------
def test_flag_queue_filters(bureau, world, flagged):
    world.session(world.at(13), world.at(14), checks=[])  # a second face-check flag
    klass2 = world.make_class(platform=world.platform2, district=world.hexi)
    someone = PersonFactory(district=world.hexi)
    e2 = world.enrol(someone, klass2)
    world.session(world.at(9), world.at(10), enrolment=e2, platform=world.platform2)
    every = bureau.get(f"{BASE}/flags").json()
    assert every["count"] == 3
    kinds = bureau.get(f"{BASE}/flags", {"kind": "unregistered_account"}).json()
    assert [f["enrolment_id"] for f in kinds["items"]] == [e2.pk]
    assert kinds["items"][0]["kind_label"] == "学员账号未实名登记"
    by_platform = bureau.get(f"{BASE}/flags", {"platform_id": world.platform.pk}).json()
    assert by_platform["count"] == 2
    by_class = bureau.get(f"{BASE}/flags", {"class_id": klass2.pk}).json()
    assert by_class["count"] == 1 and by_class["items"][0]["class_id"] == klass2.pk
    bureau_user = bureau.get(f"{BASE}/flags/{flagged.pk}").json()
    assert bureau_user["can_close"] is True
    assert bureau_user["reason"]["rule"] == "supervision.face_check_start"
    assert [s["status"] for s in bureau_user["sessions"]] == ["excluded"]
    assert bureau.get(f"{BASE}/flags", {"status": "resolved"}).json()["count"] == 0
    assert bureau.get(f"{BASE}/flags", {"status": "all"}).json()["count"] == 3


def test_flag_queue_bad_filters_are_refused(bureau, world, flagged):
    bad = bureau.get(f"{BASE}/flags", {"kind": "ghost"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "kind"
    assert bad.json()["errors"][0]["message"].startswith("取值无效，可选：'face_check'")
    english = bureau.get(f"{BASE}/flags", {"status": "done"}, headers={"accept-language": "en"})
    assert english.status_code == 422
    assert english.json()["errors"][0]["field"] == "status"
    assert english.json()["errors"][0]["message"].startswith("Invalid value; one of: 'open'")
    assert bureau.get(f"{BASE}/flags", {"platform_id": "abc"}).status_code == 422
    assert bureau.get(f"{BASE}/flags/abc").status_code == 422
    assert bureau.get(f"{BASE}/flags/999999").status_code == 404


# closing a flag -----------------------------------------------------------------------------
def test_district_reviewer_resolves_with_a_reason_and_it_is_audited(world, flagged):
    user = district_reviewer(world.heping)
    response = _post(
        _client(user), f"{BASE}/flags/{flagged.pk}/resolve", {"reason": " 平台已整改 "}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "resolved" and body["status_label"] == "已处理"
    assert body["close_reason"] == "平台已整改" and body["closed_by"] == user.username
    assert body["can_close"] is False
    flagged.refresh_from_db()
    assert flagged.status == FlagStatus.RESOLVED and flagged.closed_by == user
    event = AuditEvent.objects.get(action="supervision_flag.resolve")
    assert event.actor == user and event.channel == "api"
    assert event.data["reason"] == "平台已整改"


def test_bureau_dismisses(bureau, world, flagged):
    response = _post(bureau, f"{BASE}/flags/{flagged.pk}/dismiss", {"reason": "设备故障已核实"})
    assert response.status_code == 200
    assert response.json()["status"] == "dismissed"
    assert AuditEvent.objects.filter(action="supervision_flag.dismiss").count() == 1


def test_a_platform_may_not_close_its_own_flag(world, flagged):
    for user in (org_admin(world.platform), org_staff(world.platform)):
        response = _post(_client(user), f"{BASE}/flags/{flagged.pk}/resolve", {"reason": "已整改"})
        assert response.status_code == 403
        assert response.json()["detail"] == "您的角色无权执行此操作。"
    english = _post(
        _client(org_admin(world.platform)),
        f"{BASE}/flags/{flagged.pk}/dismiss",
        {"reason": "ok"},
        headers={"accept-language": "en"},
    )
    assert english.status_code == 403
    assert english.json()["detail"] == "Your role may not take this action."
    _unchanged(flagged)


def test_closing_needs_a_reason_and_an_open_flag(bureau, world, flagged):
    url = f"{BASE}/flags/{flagged.pk}/resolve"
    blank = _post(bureau, url, {"reason": "   "})
    assert blank.status_code == 400 and blank.json()["detail"] == "请填写理由。"
    assert _post(bureau, url, {}).status_code == 400
    assert _post(bureau, url, {"reason": ["x"]}).status_code == 422
    assert _post(bureau, url, {"reason": "x" * 2001}).status_code == 422
    assert bureau.post(url, b"{not json", content_type="application/json").status_code in (
        400,
        422,
    )
    _unchanged(flagged)
    assert _post(bureau, url, {"reason": "已核实"}).status_code == 200
    again = _post(bureau, f"{BASE}/flags/{flagged.pk}/dismiss", {"reason": "再次"})
    assert again.status_code == 409  # not possible now: it is already closed
    assert again.json()["detail"] == "当前状态下不能执行此操作。"
    flagged.refresh_from_db()
    assert flagged.status == FlagStatus.RESOLVED and flagged.close_reason == "已核实"


def test_scoping_of_a_stranger_organisation(world, flagged):
    stranger = _client(org_admin(OrganisationFactory(district=world.hexi)))
    assert stranger.get(f"{BASE}/flags").status_code == 403
    assert _post(stranger, f"{BASE}/flags/{flagged.pk}/resolve", {"reason": "x"}).status_code == 403
    _unchanged(flagged)
