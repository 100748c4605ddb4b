"""The supervision journey in a browser: an online training platform sends a trainee's xAPI
statements to the LRS (HTTP Basic, as a platform does); a municipal reviewer signs in, reads the
platform page, the class (verified against planned hours) and the trainee's timeline, then
resolves the face-check flag with a reason in the flag queue. One page is checked in English."""

import base64
import datetime
import json
import zoneinfo
from decimal import Decimal

import pytest

from haihe.core import clock
from haihe.core.models import AuditEvent
from haihe.registry.models import Occupation
from haihe.supervision import statements as st
from haihe.supervision.models import Flag, FlagStatus
from haihe.training.models import Enrolment, TrainingClass
from haihe.xapi import services as xapi_services
from tests.browser.conftest import login
from tests.factories import OrganisationFactory, PersonFactory, municipal_reviewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2020, 5, 11)


def at(hour, minute=0):
    return datetime.datetime.combine(DAY, datetime.time(hour, minute), tzinfo=TZ)


def checks_every_30_minutes(start, end):
    moments, t = [], start
    while t < end:
        moments.append((t, True))
        t += datetime.timedelta(minutes=30)
    return moments


@pytest.fixture
def platform_streams(districts):
    """A platform selected for 2020–today with a credential, an online class of 40 planned hours
    on it, one trainee, and that trainee's statements as the platform would send them: the real-
    name registration, a two-hour session with face checks, and an hour without any."""
    heping = districts["120101"]
    platform = OrganisationFactory(
        district=heping, name="海河学习网", kinds=["online_training_platform", "enterprise"]
    )
    xapi_services.platform_select(
        actor=None,
        organisation=platform,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=clock.today() + datetime.timedelta(days=365),
    )
    _credential, key, secret = xapi_services.credential_issue(actor=None, organisation=platform)
    institution = OrganisationFactory(district=heping, kinds=["training_institution"])
    klass = TrainingClass.objects.create(
        organisation=institution,
        name="电子商务师线上班",
        occupation=Occupation.objects.order_by("code").first(),
        level=4,
        mode="online",
        platform=platform,
        planned_theory_hours=Decimal(40),
        planned_practice_hours=Decimal(0),
        start_date=datetime.date(2020, 5, 1),
        end_date=datetime.date(2020, 6, 30),
        district=heping,
        capacity=30,
        status="approved",
    )
    person = PersonFactory(district=heping, name="李海河")
    enrolment = Enrolment.objects.create(training_class=klass, person=person)
    home = "https://learn.haihe.example.cn/"
    common = {
        "home_page": home,
        "account": "hh0001",
        "registration": enrolment.registration,
        "course_id": f"{home}courses/ec-4",
    }
    batch = [
        st.real_name_registration(
            home_page=home, account="hh0001", ric=person.ric, real_name=person.name, at=at(8)
        ),
        *st.session_statements(
            **common,
            lesson_id=f"{home}lessons/1",
            start=at(9),
            end=at(11),
            checks=checks_every_30_minutes(at(9), at(11)),
        ),
        *st.session_statements(
            **common, lesson_id=f"{home}lessons/2", start=at(14), end=at(15), checks=[]
        ),
    ]
    return {
        "platform": platform,
        "klass": klass,
        "enrolment": enrolment,
        "person": person,
        "batch": batch,
        "auth": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode(),
    }


def send(page, live_server, world) -> None:
    response = page.request.post(
        f"{live_server.url}/xapi/statements",
        data=json.dumps(world["batch"]),
        headers={
            "Authorization": world["auth"],
            "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json",
        },
    )
    assert response.status == 200, response.text()
    assert len(response.json()) == len(world["batch"])


def test_statements_to_a_resolved_flag(page, live_server, platform_streams):
    world = platform_streams
    send(page, live_server, world)
    flag = Flag.objects.get(kind="face_check")
    reviewer = municipal_reviewer(username="city-reviewer")

    login(page, reviewer.username)
    # the platform page: what it sent and what was verified
    page.goto("/supervision/")
    page.click(f"a[href='/supervision/platforms/{world['platform'].pk}/']")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "海河学习网"
    assert page.get_by_test_id("statements").inner_text() == str(len(world["batch"]))
    assert page.get_by_test_id("accounts").inner_text() == "1"
    assert page.get_by_test_id("verified-hours").inner_text() == "2 小时"
    assert page.get_by_test_id("sessions").inner_text() == "会话 2 个：计入 1，不计入 1"
    open_face = page.get_by_test_id("open-face_check")
    assert open_face.locator("td").nth(0).inner_text() == "人脸核验不符合要求"
    assert open_face.locator("td").nth(1).inner_text() == "1"

    # the class: verified against planned hours
    page.click("text=电子商务师线上班")
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("planned").inner_text() == "40 小时"
    row = page.get_by_test_id(f"trainee-{world['enrolment'].pk}")
    assert "李海河" in row.locator("td").nth(0).inner_text()
    assert row.get_by_test_id("hours").inner_text() == "2"
    assert row.get_by_test_id("share").inner_text() == "5%"
    assert row.get_by_test_id("sessions").inner_text() == "1 / 0 / 1 / 0"
    assert row.get_by_test_id("flags").inner_text() == "1"

    # the trainee's timeline: which session counted, which did not, and why
    row.locator("a").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("verified-hours").inner_text() == "核验学时: 2 小时"
    assert page.locator("h3").first.inner_text() == "2020-05-11"
    sessions = page.locator("tr[data-testid^=session-]")
    assert sessions.count() == 2
    first, second = sessions.nth(0).locator("td"), sessions.nth(1).locator("td")
    assert [first.nth(i).inner_text() for i in (0, 1, 3, 4, 5)] == [
        "09:00:00",
        "11:00:00",
        "4 / 0",
        "2",
        "全部计入",
    ]
    assert [second.nth(i).inner_text() for i in (0, 1, 3, 4, 5)] == [
        "14:00:00",
        "15:00:00",
        "0 / 0",
        "0",
        "不计入",
    ]
    assert "开始学习前后 5 分钟内没有通过的人脸核验，整个会话不计时。" in second.nth(6).inner_text()

    # the flag queue: resolve the face-check flag with a reason
    page.click("nav a:text('监管标记')")
    page.wait_for_load_state("networkidle")
    queued = page.get_by_test_id(f"flag-{flag.pk}")
    assert queued.locator("td").nth(0).inner_text() == "人脸核验不符合要求"
    assert queued.locator("td").last.inner_text() == "待处理"
    queued.locator("a").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("flag-status").inner_text() == "待处理"
    page.click("button[value=resolve]")  # an empty reason is refused by the form itself
    assert page.get_by_test_id("flag-status").inner_text() == "待处理"
    page.fill("textarea[name=reason]", "已与平台核实：摄像头故障，已整改")
    page.click("button[value=resolve]")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("已处理该监管标记。").is_visible()
    assert page.get_by_test_id("flag-status").inner_text() == "已处理"
    assert page.get_by_text("已与平台核实：摄像头故障，已整改", exact=True).is_visible()
    page.click("nav a:text('监管标记')")
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id(f"flag-{flag.pk}").count() == 0  # left the open queue
    flag.refresh_from_db()
    assert flag.status == FlagStatus.RESOLVED and flag.closed_by == reviewer
    assert AuditEvent.objects.filter(action="supervision_flag.resolve", actor=reviewer).exists()

    # the same class page in English
    page.goto(f"/supervision/classes/{world['klass'].pk}/")
    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h2").first.inner_text() == "Verified against planned hours per trainee"
    row = page.get_by_test_id(f"trainee-{world['enrolment'].pk}")
    assert row.get_by_test_id("hours").inner_text() == "2"
    assert row.get_by_test_id("flags").inner_text() == "0"
