"""Subsidised vocational training (政府购买培训成果): classes, enrolments, attendance, outcomes.

Names here are a contract with the subsidies and supervision modules (see the brief): change them
only together with those modules.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haihe.core import clock
from haihe.core.validation import bounded, choice_check, range_check
from haihe.registry.models import SkillLevel
from haihe.training.scopes import (
    AttendanceQuerySet,
    EnrolmentQuerySet,
    OutcomeQuerySet,
    TrainingClassQuerySet,
    TrainingSessionQuerySet,
)

HOURS = {"max_digits": 7, "decimal_places": 2}
# Ranges a person would accept (field validators, the services' checks and CHECK constraints).
PLANNED_HOURS_MAX = Decimal("2000.00")  # each part of a class: a year of full-time teaching
CAPACITY_MAX = 10_000
SESSION_HOURS_MAX = Decimal("24.00")  # one session, one day
HOURS_TOTAL_MAX = Decimal("99999.99")  # an enrolment's accumulated hours: what HOURS holds


class Mode(models.TextChoices):
    OFFLINE = "offline", _("线下")
    ONLINE = "online", _("线上")
    BLENDED = "blended", _("线上线下结合")


class ClassStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已备案")
    RETURNED = "returned", _("已退回")
    CANCELLED = "cancelled", _("已撤销")


class TrainingClass(models.Model):
    """A class filed (开班备案) by a training institution, or an enterprise for its own workers."""

    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("开班单位"),
        on_delete=models.PROTECT,
        related_name="training_classes",
    )
    name = models.CharField(_("班级名称"), max_length=200, blank=True)
    occupation = models.ForeignKey(
        "registry.Occupation",
        verbose_name=_("职业（工种）"),
        on_delete=models.PROTECT,
        related_name="training_classes",
    )
    level = models.PositiveSmallIntegerField(_("培训等级"), choices=SkillLevel.choices)
    mode = models.CharField(_("培训方式"), max_length=8, choices=Mode.choices)
    platform = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("线上培训平台"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_training_classes",
    )
    planned_theory_hours = models.DecimalField(
        _("计划理论课时"), validators=bounded(0, PLANNED_HOURS_MAX), **HOURS
    )
    planned_practice_hours = models.DecimalField(
        _("计划实操课时"), validators=bounded(0, PLANNED_HOURS_MAX), **HOURS
    )
    start_date = models.DateField(_("开班日期"), db_index=True)
    end_date = models.DateField(_("结业日期"))
    district = models.ForeignKey(
        "registry.District",
        verbose_name=_("培训地点所在区"),
        on_delete=models.PROTECT,
        related_name="training_classes",
    )
    venue = models.CharField(_("培训地点"), max_length=255, blank=True)
    teachers = models.TextField(_("授课教师"), blank=True)
    capacity = models.PositiveIntegerField(_("计划人数"), validators=bounded(1, CAPACITY_MAX))
    status = models.CharField(
        _("状态"), max_length=12, choices=ClassStatus.choices, default=ClassStatus.DRAFT
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("填报时间"), default=clock.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = TrainingClassQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训班")
        verbose_name_plural = _("培训班")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["district", "status", "start_date"]),
            models.Index(fields=["organisation", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="training_class_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5),
                name="training_class_level_range",
            ),
            models.CheckConstraint(
                condition=models.Q(mode="offline") | models.Q(platform__isnull=False),
                name="training_class_online_has_platform",
            ),
            choice_check("mode", Mode, name="training_class_mode_valid"),
            choice_check("status", ClassStatus, name="training_class_status_valid"),
            range_check(
                "planned_theory_hours",
                0,
                PLANNED_HOURS_MAX,
                name="training_class_theory_hours_range",
            ),
            range_check(
                "planned_practice_hours",
                0,
                PLANNED_HOURS_MAX,
                name="training_class_practice_hours_range",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_theory_hours__gt=0)
                | models.Q(planned_practice_hours__gt=0),
                name="training_class_planned_hours_positive",
            ),
            range_check("capacity", 1, CAPACITY_MAX, name="training_class_capacity_range"),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.occupation_id}-{self.level} {self.start_date}"

    @property
    def planned_hours(self) -> Decimal:
        return (self.planned_theory_hours or Decimal(0)) + (
            self.planned_practice_hours or Decimal(0)
        )

    @property
    def has_online_part(self) -> bool:
        return self.mode in (Mode.ONLINE, Mode.BLENDED)

    # the organisation and district an audit event about a row belongs to (core.audit)
    audit_organisation = "organisation_id"
    audit_district = "district_id"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("在训")
    COMPLETED = "completed", _("已结业")
    WITHDRAWN = "withdrawn", _("已退出")
    REFUSED = "refused", _("不符合条件")


class Enrolment(models.Model):
    """A person's place in a class, with the eligibility decision taken when they enrolled.

    A refusal is kept (status "refused", with its reasons) so that a municipal reviewer can
    override it with a reason; nothing a decision depended on is deleted.
    """

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("培训班"), on_delete=models.PROTECT, related_name="enrolments"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("学员"),
        on_delete=models.PROTECT,
        related_name="training_enrolments",
    )
    registration = models.UUIDField(_("学习登记号"), default=uuid.uuid4, unique=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    enrolled_at = models.DateTimeField(_("报名时间"), default=clock.now)
    completed_at = models.DateTimeField(_("结业时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("退出时间"), null=True, blank=True)
    eligible = models.BooleanField(_("符合补贴条件"), default=True)
    eligibility = models.JSONField(_("资格审查结果"), default=dict, blank=True)
    override_reason = models.TextField(_("复核通过理由"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    overridden_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    attended_hours = models.DecimalField(
        _("线下签到学时"),
        default=Decimal(0),
        help_text=_("签到记录之和"),
        validators=bounded(0, HOURS_TOTAL_MAX),
        **HOURS,
    )
    online_hours = models.DecimalField(
        _("线上核验学时"),
        default=Decimal(0),
        help_text=_("监管平台核验的学时"),
        validators=bounded(0, HOURS_TOTAL_MAX),
        **HOURS,
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["-enrolled_at", "-id"]
        indexes = [
            models.Index(fields=["person", "status"]),
            models.Index(fields=["training_class", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "person"], name="enrolment_once_per_class"
            ),
            choice_check("status", EnrolmentStatus, name="enrolment_status_valid"),
            range_check(
                "attended_hours", 0, HOURS_TOTAL_MAX, name="enrolment_attended_hours_range"
            ),
            range_check("online_hours", 0, HOURS_TOTAL_MAX, name="enrolment_online_hours_range"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.training_class_id}"

    @property
    def verified_hours(self) -> Decimal:
        return (self.attended_hours or Decimal(0)) + (self.online_hours or Decimal(0))

    # the organisation and district an audit event about a row belongs to (core.audit)
    audit_organisation = "training_class.organisation_id"
    audit_district = "training_class.district_id"


class SessionKind(models.TextChoices):
    THEORY = "theory", _("理论")
    PRACTICE = "practice", _("实操")


class TrainingSession(models.Model):
    """One offline session of a class (a day's or half-day's teaching), signed in per trainee."""

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("培训班"), on_delete=models.PROTECT, related_name="sessions"
    )
    date = models.DateField(_("日期"))
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    hours = models.DecimalField(_("学时"), validators=bounded(0, SESSION_HOURS_MAX), **HOURS)
    kind = models.CharField(_("类型"), max_length=8, choices=SessionKind.choices)
    topic = models.CharField(_("内容"), max_length=200, blank=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("课次")
        verbose_name_plural = _("课次")
        ordering = ["date", "starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "date", "starts_at"], name="session_unique_start"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_times_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=SESSION_HOURS_MAX),
                name="session_hours_range",
            ),
            choice_check("kind", SessionKind, name="session_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    # the organisation and district an audit event about a row belongs to (core.audit)
    audit_organisation = "training_class.organisation_id"
    audit_district = "training_class.district_id"


class Attendance(models.Model):
    """A trainee's time-stamped sign-in to an offline session, recorded by the institution."""

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("课次"), on_delete=models.PROTECT, related_name="attendance"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("报名"), on_delete=models.PROTECT, related_name="attendance"
    )
    signed_in_at = models.DateTimeField(_("签到时间"))
    hours = models.DecimalField(_("学时"), validators=bounded(0, SESSION_HOURS_MAX), **HOURS)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=clock.now)
    channel = models.CharField(_("渠道"), max_length=16, default="web")

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        ordering = ["signed_in_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once"),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=SESSION_HOURS_MAX),
                name="attendance_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.signed_in_at:%Y-%m-%d %H:%M}"

    # the organisation an audit event about a row belongs to (core.audit)
    audit_organisation = "session.training_class.organisation_id"


class OutcomeKind(models.TextChoices):
    SKILL_CERTIFICATE = "skill_certificate", _("职业技能等级证书")
    SPECIAL_ABILITY = "special_ability", _("专项能力证书")
    COMPLETION = "completion", _("培训合格证书")


class Outcome(models.Model):
    """What a trainee obtained: the thing the government pays for.

    `certification_certificate_id` is the future link to a certificate issued by the platform's own
    certification module (a plain id until that module exists; it becomes a foreign key then).
    """

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("报名"), on_delete=models.PROTECT, related_name="outcomes"
    )
    kind = models.CharField(_("成果类型"), max_length=20, choices=OutcomeKind.choices)
    certificate_number = models.CharField(_("证书编号"), max_length=32, db_index=True)
    level = models.PositiveSmallIntegerField(
        _("证书等级"), choices=SkillLevel.choices, null=True, blank=True
    )
    issuing_body = models.CharField(_("发证机构"), max_length=200)
    issued_on = models.DateField(_("发证日期"), db_index=True)
    certification_certificate_id = models.BigIntegerField(
        _("认定证书"), null=True, blank=True, db_index=True, validators=bounded(1, 2**63 - 1)
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=clock.now)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废理由"), max_length=255, blank=True)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训成果")
        verbose_name_plural = _("培训成果")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "kind"],
                condition=models.Q(voided_at__isnull=True),
                name="outcome_once_per_kind",
            ),
            choice_check("kind", OutcomeKind, name="outcome_kind_valid"),
            range_check("level", 1, 5, name="outcome_level_range", nullable=True),
            range_check(
                "certification_certificate_id",
                1,
                2**63 - 1,
                name="outcome_certification_certificate_id_positive",
                nullable=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.certificate_number}"

    # the organisation and district an audit event about a row belongs to (core.audit)
    audit_organisation = "enrolment.training_class.organisation_id"
    audit_district = "enrolment.training_class.district_id"
