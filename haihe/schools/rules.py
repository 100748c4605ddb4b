"""The rules of technical schools, as reasons that explain themselves (haihe.policy.rules).

A major: its occupation offers the national skill level the major leads to (a pre-technician
major needs an occupation with 二级/技师), its industry is on the list in force.

Performance pay (POLICY.md "Schools and enterprises"): a school with an approved cooperation
agreement running in the year may raise its total performance pay; the increase may not exceed
the comparable civil servants' yearly income per person (a dated parameter per region, read on
1 January of the plan's year) times the multiple (a dated parameter, 1) times the school's staff.
The school splits the new total between base and incentive pay as it chooses. One function,
`pay_decision`, is used when the school calculates, when it submits and when the bureau approves.
"""

import datetime
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext_lazy as _

from haihe.policy.rules import Decision, Reason, param, register_labels, register_messages
from haihe.schools.models import SKILL_LEVEL_OF, Agreement, MajorLevel

CENT = Decimal("0.01")

register_messages(
    {
        "schools.major_level_offered": _(
            "职业“{occupation}”设有{major_level}对应的国家职业技能等级，可开设该层次的专业。"
        ),
        "schools.major_level_not_offered": _(
            "职业“{occupation}”没有{major_level}对应的国家职业技能等级，不能开设该层次的专业。"
        ),
        "schools.pay_cooperation": _(
            "{year}年学校有 {count} 份经审核通过、在该年度内履行的校企合作协议，"
            "可以申请增核绩效工资总量。"
        ),
        "schools.pay_no_cooperation": _(
            "{year}年学校没有经审核通过、在该年度内履行的校企合作协议，不能申请增核绩效工资总量。"
        ),
        "schools.pay_cap": _(
            "增核额 {increase} 元未超过上限 {cap} 元（当地公务员同类人员年人均收入 "
            "{income} 元 × {multiple} 倍 × 在编教职工 {staff} 人）。"
        ),
        "schools.pay_over_cap": _(
            "增核额 {increase} 元超过了上限 {cap} 元（当地公务员同类人员年人均收入 "
            "{income} 元 × {multiple} 倍 × 在编教职工 {staff} 人），请调低增核额。"
        ),
        "schools.pay_multiple": _("增核部分不超过公务员同类人员收入的 {value} 倍。"),
        "schools.pay_split": _(
            "增核后绩效工资总量 {total} 元，其中基础性绩效 {base} 元（{percent}%），"
            "奖励性绩效 {incentive} 元，由学校自主确定。"
        ),
    }
)
register_labels({"major_level": {value: label for value, label in MajorLevel.choices}})


def major_level(occupation, level: str) -> Reason:
    """Does `occupation` offer the national level a major of `level` leads to?"""
    offered = SKILL_LEVEL_OF[MajorLevel(level)] in [int(x) for x in (occupation.levels or [])]
    return Reason(
        "schools.major_level_offered" if offered else "schools.major_level_not_offered",
        offered,
        {"occupation": occupation.name_zh, "major_level": level},
    )


def cooperating_agreements(school_id: int, year: int):
    """The school's approved agreements whose period runs into `year`."""
    return Agreement.objects.filter(
        school_id=school_id,
        status="approved",
        start_date__lte=datetime.date(year, 12, 31),
        end_date__gte=datetime.date(year, 1, 1),
    )


def _money(value: Decimal) -> str:
    return f"{value.quantize(CENT):,}"


def pay_cap(year: int, staff_count: int) -> tuple[Decimal, Reason, Reason]:
    """The cap on a school's increase in `year` for `staff_count` staff, with the reasons of the
    income figure and of the multiple (their values and effective dates)."""
    on = datetime.date(year, 1, 1)
    income = param("schools.civil_servant_comparable_income", on=on)
    multiple = param("schools.performance_pay_increase_multiple", on=on)
    factor = Decimal(str(multiple.value))
    cap = (Decimal(str(income.value)) * factor * staff_count).quantize(CENT, ROUND_DOWN)
    multiple_reason = Reason("schools.pay_multiple", True, {}, multiple)
    return cap, income, multiple_reason


def pay_decision(
    *,
    school_id: int,
    year: int,
    staff_count: int,
    current_total: Decimal,
    proposed_increase: Decimal,
    base_percent: int,
) -> Decision:
    """May the school raise its performance pay by `proposed_increase` in `year`? The cap is
    the Decision's amount."""
    count = cooperating_agreements(school_id, year).count()
    reasons = [
        Reason(
            "schools.pay_cooperation" if count else "schools.pay_no_cooperation",
            bool(count),
            {"year": year, "count": count},
        )
    ]
    cap, income, multiple_reason = pay_cap(year, staff_count)
    within = proposed_increase <= cap
    reasons.append(
        Reason(
            "schools.pay_cap" if within else "schools.pay_over_cap",
            within,
            {
                "year": year,
                "increase": _money(proposed_increase),
                "cap": _money(cap),
                "income": f"{Decimal(str(income.value)):,}",
                "multiple": str(multiple_reason.parameter.value),
                "staff": staff_count,
            },
            income,
        )
    )
    reasons.append(multiple_reason)
    total = current_total + proposed_increase
    base = (total * base_percent / 100).quantize(CENT)
    reasons.append(
        Reason(
            "schools.pay_split",
            True,
            {
                "total": _money(total),
                "base": _money(base),
                "incentive": _money(total - base),
                "percent": base_percent,
            },
        )
    )
    return Decision(tuple(reasons), amount=cap)


def plan_decision(plan) -> Decision:
    return pay_decision(
        school_id=plan.school_id,
        year=plan.year,
        staff_count=plan.staff_count,
        current_total=plan.current_total,
        proposed_increase=plan.proposed_increase,
        base_percent=plan.base_percent,
    )
