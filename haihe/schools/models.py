"""Technical schools (技工院校): the majors they open, their cooperation with enterprises, and
the performance pay that cooperation lets them raise.

Majors, agreements and pay plans are cases of the shared staged review (haihe.review): majors
and agreements go through the school's district and then the bureau, pay plans through the
bureau. Money is Decimal yuan with 2 places; nothing a decision depended on is deleted.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from haihe.core import clock
from haihe.core.validation import bounded, choice_check, range_check
from haihe.schools.scopes import AgreementQuerySet, MajorQuerySet, PayPlanQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")
SORT_MAX = 9999
INTAKE_MAX = 2000  # planned yearly intake of one major
YEAR_MIN, YEAR_MAX = 2000, 2099
STUDENTS_MAX = 5000  # students under one agreement
SUBMISSIONS_MAX = 100
STAFF_MAX = 20_000  # staff of one school
PAY_MAX = Decimal("10000000000.00")  # a school's yearly performance-pay total (yuan)
PERCENT_MAX = 100


class IndustryCategory(models.TextChoices):
    STRATEGIC_EMERGING = "strategic_emerging", _("战略性新兴产业")
    PILLAR = "pillar", _("优势支柱产业")


class Industry(models.Model):
    """An industry a major serves (reference data, haihe/schools/data/industries.csv)."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    category = models.CharField(_("类别"), max_length=20, choices=IndustryCategory.choices)
    name_zh = models.CharField(_("名称（中文）"), max_length=100)
    name_en = models.CharField(_("名称（英文）"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0, validators=bounded(0, SORT_MAX))
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("服务产业")
        verbose_name_plural = _("服务产业")
        ordering = ["sort_order", "code"]
        constraints = [
            choice_check("category", IndustryCategory, name="industry_category_valid"),
            range_check("sort_order", 0, SORT_MAX, name="industry_sort_order_range"),
        ]

    @property
    def name(self) -> str:
        if (get_language() or "").lower().startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    def __str__(self) -> str:
        return self.name


class MajorLevel(models.TextChoices):
    """The level a technical school trains a major to (its classes: 中级工班, 高级工班,
    预备技师班); `skill_level` is the national level (registry.SkillLevel) it leads to."""

    INTERMEDIATE = "intermediate", _("中级工")
    SENIOR = "senior", _("高级工")
    PRE_TECHNICIAN = "pre_technician", _("预备技师（技师）")


SKILL_LEVEL_OF = {
    MajorLevel.INTERMEDIATE: 4,
    MajorLevel.SENIOR: 3,
    MajorLevel.PRE_TECHNICIAN: 2,
}


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待区级审核")
    DISTRICT_APPROVED = "district_approved", _("待市级审核")
    RETURNED = "returned", _("已退回修改")
    REJECTED = "rejected", _("不予通过")
    APPROVED = "approved", _("已批准")
    WITHDRAWN = "withdrawn", _("已撤回")


class PayStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待市人社局核定")
    RETURNED = "returned", _("已退回修改")
    REJECTED = "rejected", _("不予核定")
    APPROVED = "approved", _("已核定")
    WITHDRAWN = "withdrawn", _("已撤回")


CLOSED = ("rejected", "withdrawn")


class ReviewedCase(models.Model):
    """What every case of the staged review carries (haihe.review)."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    school = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("技工院校"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    district = models.ForeignKey(
        "registry.District", verbose_name=_("审核区"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, db_index=True)
    submissions = models.PositiveSmallIntegerField(
        _("提交次数"), default=0, validators=bounded(0, SUBMISSIONS_MAX)
    )
    stage_due_on = models.DateField(_("本环节办理时限"), null=True, blank=True, db_index=True)
    bureau_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("市级审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    bureau_reviewed_at = models.DateTimeField(_("市级审核时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True, db_index=True)
    review_reason = models.TextField(_("退回或不予通过理由"), blank=True)

    class Meta:
        abstract = True

    audit_organisation = "school_id"
    audit_district = "district_id"

    def __str__(self) -> str:
        return self.number


class DistrictReviewed(ReviewedCase):
    district_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("区级审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    district_reviewed_at = models.DateTimeField(_("区级审核时间"), null=True, blank=True)

    class Meta:
        abstract = True


class Major(DistrictReviewed):
    """A school's application to open a major; once approved, an entry of the register."""

    name = models.CharField(_("专业名称"), max_length=100)
    occupation = models.ForeignKey(
        "registry.Occupation",
        verbose_name=_("对应职业（工种）"),
        on_delete=models.PROTECT,
        related_name="school_majors",
    )
    level = models.CharField(_("培养层次"), max_length=20, choices=MajorLevel.choices)
    industry = models.ForeignKey(
        Industry, verbose_name=_("服务产业"), on_delete=models.PROTECT, related_name="majors"
    )
    planned_intake = models.PositiveIntegerField(
        _("计划招生人数"), validators=bounded(1, INTAKE_MAX)
    )
    start_year = models.PositiveSmallIntegerField(
        _("开设年份"), validators=bounded(YEAR_MIN, YEAR_MAX)
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )

    objects = MajorQuerySet.as_manager()

    class Meta:
        verbose_name = _("专业设置")
        verbose_name_plural = _("专业设置")
        ordering = ["-start_year", "school__name", "name", "id"]
        indexes = [
            models.Index(fields=["status", "district", "submitted_at"]),
            models.Index(fields=["school", "status"]),
            models.Index(fields=["status", "start_year"]),
        ]
        constraints = [
            choice_check("status", CaseStatus, name="major_status_valid"),
            choice_check("level", MajorLevel, name="major_level_valid"),
            range_check("planned_intake", 1, INTAKE_MAX, name="major_planned_intake_range"),
            range_check("start_year", YEAR_MIN, YEAR_MAX, name="major_start_year_range"),
            range_check("submissions", 0, SUBMISSIONS_MAX, name="major_submissions_range"),
            models.UniqueConstraint(
                fields=["school", "occupation", "level"],
                condition=~models.Q(status__in=CLOSED),
                name="major_once_per_school_occupation_level",
            ),
        ]

    @property
    def skill_level(self) -> int:
        return SKILL_LEVEL_OF[MajorLevel(self.level)]


class CooperationForm(models.TextChoices):
    ORDER_CLASS = "order_class", _("订单班")
    APPRENTICESHIP = "apprenticeship", _("企业新型学徒制")
    INTERNSHIP = "internship", _("顶岗实习")
    JOINT_TRAINING = "joint_training", _("联合培养")


class Agreement(DistrictReviewed):
    """A school–enterprise cooperation agreement (校企合作协议), reviewed and recorded."""

    enterprise = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("合作企业"),
        on_delete=models.PROTECT,
        related_name="school_agreements",
    )
    form = models.CharField(_("合作形式"), max_length=20, choices=CooperationForm.choices)
    major = models.ForeignKey(
        Major,
        verbose_name=_("涉及专业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    students = models.PositiveIntegerField(_("学生人数"), validators=bounded(1, STUDENTS_MAX))
    start_date = models.DateField(_("合作开始日期"))
    end_date = models.DateField(_("合作结束日期"))
    summary = models.TextField(_("合作内容"), max_length=2000, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("校企合作协议")
        verbose_name_plural = _("校企合作协议")
        ordering = ["-start_date", "id"]
        indexes = [
            models.Index(fields=["status", "district", "submitted_at"]),
            models.Index(fields=["school", "status"]),
            models.Index(fields=["enterprise", "status"]),
        ]
        constraints = [
            choice_check("status", CaseStatus, name="agreement_status_valid"),
            choice_check("form", CooperationForm, name="agreement_form_valid"),
            range_check("students", 1, STUDENTS_MAX, name="agreement_students_range"),
            range_check("submissions", 0, SUBMISSIONS_MAX, name="agreement_submissions_range"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="agreement_period_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(school=models.F("enterprise")),
                name="agreement_two_parties",
            ),
        ]


class PayPlan(ReviewedCase):
    """A school's yearly performance-pay increase (绩效工资增量), with the split between base
    and incentive pay it chose; the bureau approves it within the cap (rules.pay_decision)."""

    year = models.PositiveSmallIntegerField(_("年度"), validators=bounded(YEAR_MIN, YEAR_MAX))
    staff_count = models.PositiveIntegerField(_("在编教职工人数"), validators=bounded(1, STAFF_MAX))
    current_total = models.DecimalField(
        _("现有绩效工资总量（元）"), validators=bounded(0, PAY_MAX), **MONEY
    )
    proposed_increase = models.DecimalField(
        _("申请增核额（元）"), validators=bounded(0, PAY_MAX), **MONEY
    )
    base_percent = models.PositiveSmallIntegerField(
        _("基础性绩效占比（%）"), validators=bounded(0, PERCENT_MAX)
    )
    cap = models.DecimalField(
        _("增核上限（元）"), default=ZERO, validators=bounded(0, PAY_MAX), **MONEY
    )
    decision = models.JSONField(_("核定说明"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=PayStatus.choices, default=PayStatus.DRAFT
    )

    objects = PayPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("绩效工资增核")
        verbose_name_plural = _("绩效工资增核")
        ordering = ["-year", "id"]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        constraints = [
            choice_check("status", PayStatus, name="payplan_status_valid"),
            range_check("year", YEAR_MIN, YEAR_MAX, name="payplan_year_range"),
            range_check("staff_count", 1, STAFF_MAX, name="payplan_staff_count_range"),
            range_check("current_total", 0, PAY_MAX, name="payplan_current_total_range"),
            range_check("proposed_increase", 0, PAY_MAX, name="payplan_increase_range"),
            range_check("base_percent", 0, PERCENT_MAX, name="payplan_base_percent_range"),
            range_check("cap", 0, PAY_MAX, name="payplan_cap_range"),
            range_check("submissions", 0, SUBMISSIONS_MAX, name="payplan_submissions_range"),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "returned", "withdrawn", "rejected"])
                | models.Q(proposed_increase__lte=models.F("cap")),
                name="payplan_increase_within_cap",
            ),
            models.UniqueConstraint(
                fields=["school", "year"],
                condition=~models.Q(status__in=CLOSED),
                name="payplan_once_per_school_year",
            ),
        ]

    @property
    def new_total(self) -> Decimal:
        return self.current_total + self.proposed_increase

    @property
    def base_amount(self) -> Decimal:
        return (self.new_total * self.base_percent / 100).quantize(Decimal("0.01"))

    @property
    def incentive_amount(self) -> Decimal:
        return self.new_total - self.base_amount
