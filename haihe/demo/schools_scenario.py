"""The technical-schools part of the Tianjin 2020 scenario (runs after the other steps).

2020's majors as the seed article counts them: 23 new majors approved in 2020 over the demo's
technical schools, 9 of them pre-technician (预备技师) majors, plus majors of 2019 in the register
and applications for 2021 in every state (drafts, waiting at the district, waiting at the
bureau, returned with a reason, rejected with a reason, withdrawn). School–enterprise
cooperation agreements (one with the demo enterprise's account, so that it sees one), and the
demo school's performance-pay plan for 2020, approved by the bureau within the cap the real rule
computes, with a second cooperating school's plan waiting in the bureau's queue.

The counts do not depend on --scale (schools are a fixed 40). The history is written in bulk
(`Workflow.restore`), with the review record (haihe.review) and the audit trail of how each case
got there; only `scenario.rng` is used, so a seed gives the same data.
"""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from haihe.core import numbering
from haihe.core.models import AuditEvent
from haihe.registry.models import Occupation, OrgKind
from haihe.review.models import ReviewAction
from haihe.schools.models import Agreement, Industry, Major, MajorLevel, PayPlan
from haihe.schools.rules import pay_decision
from haihe.schools.services import industries_load
from haihe.schools.workflows import (
    AGREEMENT_PIPELINE,
    MAJOR_PIPELINE,
    PAY_PIPELINE,
    agreement_workflow,
    major_workflow,
    pay_workflow,
)

NEW_MAJORS_2020 = 23
PRE_TECHNICIAN_2020 = 9
MAJORS_2019 = 6
# applications for 2021, by state (none of them counts among 2020's new majors)
PENDING = [
    ("submitted", 3),
    ("district_approved", 2),
    ("returned", 1),
    ("rejected", 1),
    ("draft", 2),
    ("withdrawn", 1),
]
# filed late in 2020, so that every decision on them is dated before the scenario's day
PENDING_FILED = (datetime.date(2020, 10, 12), datetime.date(2020, 11, 8))
WIDTHS = {"ZY": 5, "XQ": 5, "JX": 4}
AGREEMENTS_APPROVED = 12
AGREEMENTS_PENDING = [("submitted", 2), ("district_approved", 1), ("returned", 1), ("draft", 1)]
MAJOR_NAMES = {
    "6-30-99-00": "工业机器人技术应用",
    "6-31-01-10": "工业机器人运维",
    "6-18-01-07": "数控加工（数控车工）",
    "6-18-01-01": "机械加工技术",
    "6-18-02-04": "焊接加工",
    "6-20-01-01": "机电设备安装与维修",
    "6-31-01-03": "电气自动化设备安装与维修",
    "6-31-03-01": "新能源汽车检测与维修",
    "4-12-01-01": "汽车维修",
    "4-04-05-01": "计算机程序设计",
    "4-04-05-05": "人工智能技术应用",
    "4-01-02-02": "电子商务",
    "6-24-01-01": "化工分析与检验",
    "4-08-08-19": "无人机应用技术",
    "6-29-03-03": "电梯工程技术",
    "4-10-01-05": "智能养老服务",
    "4-03-02-01": "中式烹调",
    "4-11-01-01": "制冷设备运用与维修",
}
INDUSTRY_OF = {
    "6-30-99-00": "intelligent_technology",
    "6-31-01-10": "intelligent_technology",
    "4-04-05-05": "intelligent_technology",
    "4-04-05-01": "electronic_information",
    "6-31-03-01": "new_energy",
    "4-12-01-01": "automotive",
    "6-24-01-01": "petrochemicals",
    "4-08-08-19": "aerospace",
    "4-10-01-05": "modern_services",
    "4-03-02-01": "modern_services",
    "4-01-02-02": "modern_services",
}
RETURN_REASON = "专业人才培养方案缺少校内实训基地和企业实践安排，请补充后重新提交。"
REJECT_REASON = "本区同类专业招生计划已饱和，且学校缺少该专业的专任教师，不予设置。"
AGREEMENT_RETURN_REASON = "上传的协议未加盖企业公章，请上传双方签章的协议。"
SUMMARIES = {
    "order_class": "订单班：企业参与制定人才培养方案，提供实训设备和兼职教师，学生毕业后进入企业工作。",
    "apprenticeship": "企业新型学徒制：企业职工到学校学习理论，在岗由企业导师带徒。",
    "internship": "顶岗实习：学生在企业生产岗位实习六个月，企业指派师傅指导。",
    "joint_training": "联合培养：校企共建实训基地，共同开发课程和教材。",
}


def _at(rng, day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randrange(9, 17), rng.randrange(60)))
    )


def _day(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


class _History:
    """The review record and the audit trail of the restored cases."""

    def __init__(self):
        self.actions: list[ReviewAction] = []
        self.events: list[AuditEvent] = []

    def add(self, pipeline, case, *, step, at, actor=None, stage="", reason="", to=""):
        if at is None:
            return
        content_type = ContentType.objects.get_for_model(case)
        if step in ("submit", "resubmit", "withdraw", "approve", "return", "reject"):
            self.actions.append(
                ReviewAction(
                    pipeline=pipeline.name,
                    case_type=content_type,
                    case_id=case.pk,
                    round=max(1, case.submissions or 1),
                    stage=stage,
                    step=step,
                    actor=actor,
                    actor_person_id=getattr(actor, "person_id", None),
                    reason=reason,
                    at=at,
                )
            )
        name = f"{stage}_{step}" if stage else step
        self.events.append(
            AuditEvent(
                at=at,
                actor=actor,
                actor_label=actor.get_username() if actor else "system",
                action=f"{pipeline.name}.{name}",
                target_type=content_type,
                target_id=str(case.pk),
                target_label=case.number,
                organisation_id=case.school_id,
                district_id=case.district_id,
                channel="web",
                data={"to": to, "reason": reason} if reason else {"to": to},
            )
        )

    def save(self):
        ReviewAction.objects.bulk_create(self.actions, batch_size=2000)
        AuditEvent.objects.bulk_create(self.events, batch_size=2000)


def _replay(history, pipeline, case, state, *, district_user, municipal_user, filer, rng, day):
    """Fill the review fields of `case` for the state it reached, and its history."""
    submitted = _at(rng, day)
    case.created_at = submitted - datetime.timedelta(days=rng.randrange(2, 10))
    if state in ("draft", "withdrawn"):
        if state == "withdrawn":
            history.add(pipeline, case, step="withdraw", at=submitted, actor=filer, to=state)
        return
    case.submissions = 1
    case.first_submitted_at = case.submitted_at = submitted
    history.add(pipeline, case, step="submit", at=submitted, actor=filer, to="submitted")
    two_stage = len(pipeline.stages) == 2
    first = pipeline.stages[0]
    if state == "submitted":
        case.stage_due_on = pipeline.due_on(first, submitted.date())[0]
        return
    district_at = submitted + datetime.timedelta(days=rng.randrange(2, 8))
    if two_stage:
        case.district_reviewed_by, case.district_reviewed_at = district_user, district_at
        if state == "returned":
            case.review_reason = (
                RETURN_REASON if isinstance(case, Major) else AGREEMENT_RETURN_REASON
            )
            history.add(pipeline, case, step="return", at=district_at, actor=district_user,
                        stage="district", reason=case.review_reason, to=state)  # fmt: skip
            return
        history.add(pipeline, case, step="approve", at=district_at, actor=district_user,
                    stage="district", to="district_approved")  # fmt: skip
        if state == "district_approved":
            case.stage_due_on = pipeline.due_on(pipeline.stages[1], district_at.date())[0]
            return
    bureau_at = district_at + datetime.timedelta(days=rng.randrange(3, 12))
    case.bureau_reviewed_by, case.bureau_reviewed_at = municipal_user, bureau_at
    stage = pipeline.stages[-1].name
    if state == "rejected":
        case.review_reason = REJECT_REASON
        history.add(pipeline, case, step="reject", at=bureau_at, actor=municipal_user,
                    stage=stage, reason=REJECT_REASON, to=state)  # fmt: skip
        return
    case.approved_at = bureau_at
    history.add(pipeline, case, step="approve", at=bureau_at, actor=municipal_user,
                stage=stage, to="approved")  # fmt: skip


REVIEW_FIELDS = [
    "created_at",
    "submitted_at",
    "first_submitted_at",
    "submissions",
    "stage_due_on",
    "bureau_reviewed_by",
    "bureau_reviewed_at",
    "approved_at",
    "review_reason",
]


def build(scenario) -> dict[str, int]:
    rng = scenario.rng
    industries_load()
    industries = {i.code: i for i in Industry.objects.all()}
    schools = [o for o in scenario.orgs if OrgKind.TECHNICAL_SCHOOL in o._kinds]
    demo_school = scenario.users["school-admin"].organisation
    demo_enterprise = scenario.users["enterprise-admin"].organisation
    municipal = [scenario.users["municipal1"], scenario.users["municipal2"]]
    district_user = {d.pk: scenario.users[f"district-{d.code}"] for d in scenario.districts}
    filer = scenario.users["school-admin"]
    occupations = {o.code: o for o in Occupation.objects.filter(code__in=MAJOR_NAMES)}
    technician = [c for c in MAJOR_NAMES if 2 in occupations[c].levels]
    history = _History()
    used: set[tuple] = set()
    serials: dict[int, int] = {}

    def number(prefix, year):  # the services' formats (services.py: numbering.issue widths)
        serials[(prefix, year)] = serials.get((prefix, year), 0) + 1
        return f"{prefix}{year}{serials[(prefix, year)]:0{WIDTHS[prefix]}d}"

    def new_major(school, level, start_year, created_year):
        while True:
            code = rng.choice(
                technician if level == MajorLevel.PRE_TECHNICIAN else list(MAJOR_NAMES)
            )
            if (school.pk, code, level) not in used:
                break
            school = rng.choice(schools)
        used.add((school.pk, code, level))
        return major_workflow.start(
            Major(
                number=number("ZY", created_year),
                school_id=school.pk,
                district_id=school.district_id,
                name=MAJOR_NAMES[code],
                occupation=occupations[code],
                level=level,
                industry=industries[INDUSTRY_OF.get(code, "equipment_manufacturing")],
                planned_intake=rng.choice([30, 35, 40, 45, 50, 60, 80]),
                start_year=start_year,
            )
        )

    # majors -----------------------------------------------------------------------------
    plan = []  # (major, state, submitted day)
    levels_2020 = [MajorLevel.PRE_TECHNICIAN] * PRE_TECHNICIAN_2020 + [
        rng.choice([MajorLevel.INTERMEDIATE, MajorLevel.SENIOR])
        for _ in range(NEW_MAJORS_2020 - PRE_TECHNICIAN_2020)
    ]
    for index, level in enumerate(levels_2020):
        school = demo_school if index in (0, 9, 15) else rng.choice(schools)
        day = _day(rng, datetime.date(2020, 2, 20), datetime.date(2020, 7, 31))
        plan.append((new_major(school, level, 2020, 2020), "approved", day))
    for _ in range(MAJORS_2019):
        level = rng.choice(list(MajorLevel))
        day = _day(rng, datetime.date(2019, 3, 1), datetime.date(2019, 6, 30))
        plan.append((new_major(rng.choice(schools), level, 2019, 2019), "approved", day))
    for state, count in PENDING:
        for index in range(count):
            school = demo_school if index == 0 else rng.choice(schools)
            level = rng.choice(list(MajorLevel))
            day = _day(rng, *PENDING_FILED)
            plan.append((new_major(school, level, 2021, 2020), state, day))
    majors = [m for m, _state, _day in plan]
    states = {m.number: s for m, s, _d in plan}
    Major.objects.bulk_create(majors)
    ids = dict(Major.objects.values_list("number", "pk"))
    for major in majors:
        major.pk = major.id = ids[major.number]
    for major, state, day in plan:
        _replay(
            history, MAJOR_PIPELINE, major, state,
            district_user=district_user[major.district_id], municipal_user=rng.choice(municipal),
            filer=filer if major.school_id == demo_school.pk else None, rng=rng, day=day,
        )  # fmt: skip
    major_workflow.restore(
        majors,
        lambda m: states[m.number],
        save=[*REVIEW_FIELDS, "district_reviewed_by", "district_reviewed_at"],
    )

    # cooperation agreements -------------------------------------------------------------------
    enterprises = [o for o in scenario.orgs if OrgKind.ENTERPRISE in o._kinds and o.size_class]
    others = [s for s in schools if s.pk != demo_school.pk]
    cooperating = [demo_school, *rng.sample(others, 7)]
    agreement_plan = []
    forms = list(SUMMARIES)
    for index in range(AGREEMENTS_APPROVED):
        school = cooperating[index % len(cooperating)]
        partner = demo_enterprise if index == 0 else rng.choice(enterprises)
        start = _day(rng, datetime.date(2019, 9, 1), datetime.date(2020, 3, 1))
        agreement_plan.append((school, partner, start, "approved"))
    for state, count in AGREEMENTS_PENDING:
        for index in range(count):
            school = demo_school if index == 0 else rng.choice(schools)
            start = _day(rng, datetime.date(2020, 12, 1), datetime.date(2021, 3, 1))
            agreement_plan.append((school, rng.choice(enterprises), start, state))
    agreements = []
    agreement_states = {}
    for school, partner, start, state in agreement_plan:
        form = rng.choice(forms)
        own = [m for m in majors if m.school_id == school.pk and states[m.number] == "approved"]
        agreement = agreement_workflow.start(
            Agreement(
                number=number("XQ", 2020 if state != "approved" else start.year),
                school_id=school.pk,
                district_id=school.district_id,
                enterprise_id=partner.pk,
                form=form,
                major=rng.choice(own) if own and rng.random() < 0.6 else None,
                students=rng.choice([20, 25, 30, 40, 45, 60]),
                start_date=start,
                end_date=start + datetime.timedelta(days=rng.choice([365, 540, 730, 1095])),
                summary=SUMMARIES[form],
            )
        )
        agreements.append(agreement)
        agreement_states[agreement.number] = state
    Agreement.objects.bulk_create(agreements)
    ids = dict(Agreement.objects.values_list("number", "pk"))
    for agreement in agreements:
        agreement.pk = agreement.id = ids[agreement.number]
        state = agreement_states[agreement.number]
        filed = agreement.start_date - datetime.timedelta(days=rng.randrange(20, 40))
        if state != "approved":
            filed = _day(rng, *PENDING_FILED)
        _replay(
            history, AGREEMENT_PIPELINE, agreement, state,
            district_user=district_user[agreement.district_id],
            municipal_user=rng.choice(municipal),
            filer=filer if agreement.school_id == demo_school.pk else None, rng=rng, day=filed,
        )  # fmt: skip
    agreement_workflow.restore(
        agreements,
        lambda a: agreement_states[a.number],
        save=[*REVIEW_FIELDS, "district_reviewed_by", "district_reviewed_at"],
    )

    # performance pay ------------------------------------------------------------------------
    plans = []
    pay_states = {}
    for school, state, staff in ((demo_school, "approved", 120), (cooperating[1], "submitted", 86)):
        current = Decimal(staff * rng.randrange(60_000, 80_000)).quantize(Decimal("0.01"))
        cap_check = pay_decision(
            school_id=school.pk, year=2020, staff_count=staff, current_total=current,
            proposed_increase=Decimal(0), base_percent=70,
        )  # fmt: skip
        increase = (cap_check.amount * Decimal(rng.choice([60, 75, 90])) / 100).quantize(
            Decimal("1000")
        )
        decision = pay_decision(
            school_id=school.pk, year=2020, staff_count=staff, current_total=current,
            proposed_increase=increase, base_percent=rng.choice([60, 65, 70]),
        )  # fmt: skip
        assert decision.ok, decision.as_dict()
        pay = pay_workflow.start(
            PayPlan(
                number=number("JX", 2020),
                school_id=school.pk,
                district_id=school.district_id,
                year=2020,
                staff_count=staff,
                current_total=current,
                proposed_increase=increase,
                base_percent=int(decision.reasons[-1].params["percent"]),
                cap=decision.amount,
                decision=decision.as_dict(),
            )
        )
        plans.append(pay)
        pay_states[pay.number] = state
    PayPlan.objects.bulk_create(plans)
    ids = dict(PayPlan.objects.values_list("number", "pk"))
    for pay in plans:
        pay.pk = pay.id = ids[pay.number]
        state = pay_states[pay.number]
        day = datetime.date(2020, 6, 10) if state == "approved" else datetime.date(2020, 11, 18)
        _replay(
            history, PAY_PIPELINE, pay, state, district_user=None,
            municipal_user=scenario.users["admin"] if state == "approved" else None,
            filer=filer if pay.school_id == demo_school.pk else None, rng=rng, day=day,
        )  # fmt: skip
    pay_workflow.restore(plans, lambda p: pay_states[p.number], save=REVIEW_FIELDS)

    history.save()
    for prefix, year in serials:  # later cases continue the demo's numbers
        numbering.advance(prefix, period=str(year), to=serials[(prefix, year)])
    return {
        "technical_school_majors": len(majors),
        "technical_school_agreements": len(agreements),
        "technical_school_pay_plans": len(plans),
    }
