"""What the subsidy scenario plans for each class's claim before writing anything, and the
scenario's fixed dates and reasons (shared by `subsidy_scenario` and `subsidy_records`)."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from haihe.subsidies.models import Claim

HEADLINE = 370_000
HEADLINE_DAY = datetime.date(2020, 9, 30)
TODAY = datetime.date(2020, 11, 20)  # the scenario's "now": the article is of 2020-11-27
KIND_ORDER = {"skill_certificate": 0, "special_ability": 1, "completion": 2}
CHECK_EXCLUSION_REASONS = {
    "concurrent_classes": "同期参加两个培训班，核实后剔除",
    "certificate_reused": "证书编号与他人重复，核实后剔除",
    "attendance_outside_dates": "签到记录不在培训期间，核实后剔除",
    "daily_hours_exceeded": "单日学时超过上限，核实后剔除",
    "late_enrolment": "结业后报名，核实后剔除",
}
RETURN_REASONS = [
    "学员签到表不完整，请补充后重新提交。",
    "部分证书复印件不清晰，请重新上传。",
    "培训班教师资质材料缺失。",
]
REJECT_REASONS = [
    "经核查，该班培训过程不真实，不予补贴。",
    "培训内容与备案职业（工种）不符，不予补贴。",
]


@dataclass
class Plan:
    """One class's claim, planned in memory before anything is written."""

    class_id: int
    organisation_id: int
    district_id: int
    ready: datetime.date
    outcome_ids: list[int]
    submitted: datetime.date | None = None
    district_day: datetime.date | None = None
    municipal_day: datetime.date | None = None
    state: str = "pending"  # the state the plan ends the claim in
    returned_once: bool = False
    early: bool = False
    original: tuple = ()
    in_time: bool = False
    claim: Claim | None = None
    included: int = 0
    lines: list = field(default_factory=list)  # (line id, included?, amount, flagged code)


def at(rng, day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randrange(8, 18), rng.randrange(60)))
    )
