import datetime

import pytest

from haihe.notices import kinds, services
from haihe.policy.loader import load_calendars, load_parameters
from tests.factories import bureau_admin, municipal_reviewer

PUBLISHED_ON = datetime.date(2020, 9, 28)  # a Monday; 5 working days end on Saturday 10 October
ENDS_ON = datetime.date(2020, 10, 10)
ADDRESS = "203.0.113.7"


class Hook:
    """Records how notices of the test kind ended, as an owning module would."""

    def __init__(self):
        self.calls: list[tuple[int, str]] = []
        self.fail = False

    def __call__(self, notice):
        if self.fail:
            raise RuntimeError("the module could not take the result")
        self.calls.append((notice.pk, notice.status))


@pytest.fixture
def hook():
    recorder = Hook()
    kinds.register(kinds.NoticeKind("tests.selection", "测试评选结果", on_closed=recorder))
    yield recorder
    kinds.unregister("tests.selection")


@pytest.fixture
def policy(db):
    load_parameters("120000")
    load_calendars()


@pytest.fixture
def staff(policy):
    return {
        "preparer": bureau_admin(username="preparer"),
        "approver": municipal_reviewer(username="approver"),
        "handler": municipal_reviewer(username="handler"),
    }


@pytest.fixture
def on_2020(clock):
    clock.travel(PUBLISHED_ON)
    return clock


@pytest.fixture
def published(staff, hook, on_2020):
    notice = services.notice_create(
        actor=staff["preparer"],
        kind="tests.selection",
        title="2020年测试评选拟入选名单公示",
        body="拟入选名单：\n张三（测试单位一）\n李四（测试单位二）",
        contact="天津市人社局职业能力建设处，电话 022-00000000",
    )
    return services.notice_approve(actor=staff["approver"], notice=notice)


def object_to(notice, **overrides):
    values = {
        "notice": notice,
        "name": "王小明",
        "phone": "13800138000",
        "grounds": "李四并非该单位在职职工，不符合推荐条件。",
        "pledge": True,
        "client_address": ADDRESS,
    }
    values.update(overrides)
    return services.objection_submit(**values)
