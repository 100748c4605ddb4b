"""Accreditation and filing (认定与备案): the bureau's calls (申报通知), organisations'
applications through the shared staged review, expert panel and public notice, and the
recognitions they earn — enterprise training centres, high-skill training bases, master
studios, online training platforms ("1+N") and evaluation bodies filed for skill-level
certification — with their annual reports and change requests.

Every status field moves through `haihe.accreditation.workflows` only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haihe.accreditation.scopes import (
    AnnualReportQuerySet,
    ApplicationQuerySet,
    CallQuerySet,
    ChangeRequestQuerySet,
    RecognitionQuerySet,
)
from haihe.core import clock
from haihe.core.validation import bounded, choice_check, range_check

COUNT_MAX = 100_000  # trainers, workstations of one applicant
AREA_MAX = 10_000_000  # square metres
ROUND_MAX = 20
YEAR_MIN, YEAR_MAX = 2000, 2100
SUBMISSIONS_MAX = 100
TEXT_MAX = 4000
SCOPE_MAX = 200  # occupations × levels of one evaluation body


class Kind(models.TextChoices):
    ENTERPRISE_TRAINING_CENTRE = "enterprise_training_centre", _("企业培训中心")
    HIGH_SKILL_BASE = "high_skill_base", _("高技能人才培训基地")
    MASTER_STUDIO = "master_studio", _("技能大师工作室")
    ONLINE_PLATFORM = "online_platform", _("线上培训平台")
    EVALUATION_BODY = "evaluation_body", _("职业技能等级认定评价机构")


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("申报中")
    CLOSED = "closed", _("已截止")


class Call(models.Model):
    """A call for applications (申报通知) of one kind: a year and round, the days it is open,
    the evidence every application must carry and, where set, quotas per district."""

    number = models.CharField(_("通知编号"), max_length=20, unique=True)
    kind = models.CharField(_("认定类别"), max_length=32, choices=Kind.choices, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"), validators=bounded(YEAR_MIN, YEAR_MAX))
    round = models.PositiveSmallIntegerField(_("批次"), default=1, validators=bounded(1, ROUND_MAX))
    title = models.CharField(_("标题"), max_length=200)
    opens_on = models.DateField(_("申报开始日期"))
    closes_on = models.DateField(_("申报截止日期"))
    required_evidence = models.JSONField(_("必须提交的材料"), default=list, blank=True)
    quotas = models.JSONField(_("各区名额"), default=dict, blank=True)  # district code -> n
    description = models.TextField(_("说明"), blank=True, max_length=TEXT_MAX)
    status = models.CharField(
        _("状态"), max_length=12, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("申报通知")
        verbose_name_plural = _("申报通知")
        ordering = ["-year", "kind", "-round"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "round"], name="accr_call_one_round"),
            choice_check("kind", Kind, name="accr_call_kind_valid"),
            choice_check("status", CallStatus, name="accr_call_status_valid"),
            range_check("year", YEAR_MIN, YEAR_MAX, name="accr_call_year_range"),
            range_check("round", 1, ROUND_MAX, name="accr_call_round_range"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="accr_call_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def is_open_on(self, day) -> bool:
        return self.status == CallStatus.OPEN and self.opens_on <= day <= self.closes_on


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待区级审核")
    DISTRICT_APPROVED = "district_approved", _("待专家评审")
    PANEL_SCORED = "panel_scored", _("待市人社局决定")
    APPROVED = "approved", _("拟认定，公示中")
    GRANTED = "granted", _("已认定")
    RETURNED = "returned", _("已退回修改")
    REJECTED = "rejected", _("不予认定")
    WITHDRAWN = "withdrawn", _("已撤回")


IN_REVIEW = ("submitted", "district_approved", "panel_scored")
LIVE = ("draft", "returned", *IN_REVIEW, "approved")


class Application(models.Model):
    """An organisation's application under a call, with the facts of its kind: trainers and
    premises (centres, bases), the studio's leader (studios), the scope of occupations and
    levels (evaluation bodies). Moves through the staged review (workflows.APPLICATION_PIPELINE)."""

    number = models.CharField(_("申请编号"), max_length=20, unique=True)
    call = models.ForeignKey(
        Call, verbose_name=_("申报通知"), on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("申请单位"),
        on_delete=models.PROTECT,
        related_name="accreditation_applications",
    )
    district = models.ForeignKey(
        "registry.District",
        verbose_name=_("所在区"),
        on_delete=models.PROTECT,
        related_name="accreditation_applications",
    )
    kind = models.CharField(_("认定类别"), max_length=32, choices=Kind.choices, db_index=True)
    summary = models.TextField(_("基本情况"), blank=True, max_length=TEXT_MAX)
    trainers = models.PositiveIntegerField(
        _("专兼职培训师资人数"), default=0, validators=bounded(0, COUNT_MAX)
    )
    workstations = models.PositiveIntegerField(
        _("实训工位数"), default=0, validators=bounded(0, COUNT_MAX)
    )
    area = models.PositiveIntegerField(
        _("培训场地面积（平方米）"), default=0, validators=bounded(0, AREA_MAX)
    )
    leader = models.ForeignKey(
        "registry.Person",
        verbose_name=_("工作室领办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader_title = models.CharField(_("领办人荣誉称号"), max_length=100, blank=True)
    scope = models.JSONField(_("申请范围（职业、等级）"), default=list, blank=True)
    eligibility = models.JSONField(_("条件核验"), default=dict, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submissions = models.PositiveSmallIntegerField(
        _("提交次数"), default=0, validators=bounded(0, SUBMISSIONS_MAX)
    )
    stage_due_on = models.DateField(_("本环节办理时限"), null=True, blank=True)
    district_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district_reviewed_at = models.DateTimeField(null=True, blank=True)
    panel_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    panel_reviewed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    notice_id = models.BigIntegerField(_("公示"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("认定申请")
        verbose_name_plural = _("认定申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation"],
                condition=models.Q(status__in=LIVE),
                name="accr_application_one_live_per_call",
            ),
            choice_check("kind", Kind, name="accr_application_kind_valid"),
            choice_check("status", ApplicationStatus, name="accr_application_status_valid"),
            range_check("trainers", 0, COUNT_MAX, name="accr_application_trainers_range"),
            range_check("workstations", 0, COUNT_MAX, name="accr_application_workstations_range"),
            range_check("area", 0, AREA_MAX, name="accr_application_area_range"),
            range_check(
                "submissions", 0, SUBMISSIONS_MAX, name="accr_application_submissions_range"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="master_studio")
                | models.Q(status="draft")
                | models.Q(leader__isnull=False),
                name="accr_application_studio_has_leader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.organisation_id}"

    audit_organisation = "organisation_id"
    audit_district = "district_id"


class RecognitionStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    SUSPENDED = "suspended", _("暂停")
    REVOKED = "revoked", _("已撤销")
    EXPIRED = "expired", _("已到期")
    RENEWED = "renewed", _("已换发")


class Source(models.TextChoices):
    APPLICATION = "application", _("申报认定")
    IMPORT = "import", _("存量导入")


class Recognition(models.Model):
    """What the bureau granted: a number, the holder, the kind, the scope (occupations and
    levels of an evaluation body), the studio's leader, the validity period, and its life:
    active ↔ suspended, revoked, expired, renewed — each change with its reason."""

    number = models.CharField(_("认定编号"), max_length=24, unique=True)
    holder = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("认定单位"),
        on_delete=models.PROTECT,
        related_name="recognitions",
    )
    district = models.ForeignKey(
        "registry.District", verbose_name=_("所在区"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("认定类别"), max_length=32, choices=Kind.choices, db_index=True)
    application = models.OneToOneField(
        Application,
        verbose_name=_("认定申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recognition",
    )
    source = models.CharField(
        _("来源"), max_length=12, choices=Source.choices, default=Source.APPLICATION
    )
    scope = models.JSONField(_("认定范围（职业、等级）"), default=list, blank=True)
    leader = models.ForeignKey(
        "registry.Person",
        verbose_name=_("工作室领办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期止"))
    granted_at = models.DateTimeField(_("认定时间"), default=clock.now, db_index=True)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=RecognitionStatus.choices,
        default=RecognitionStatus.ACTIVE,
        db_index=True,
    )
    status_since = models.DateField(_("状态起始日期"), default=clock.today)
    status_reason = models.CharField(_("状态变更理由"), max_length=500, blank=True)
    renews = models.ForeignKey(
        "self",
        verbose_name=_("换发的原认定"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
    )
    xapi_selection = models.ForeignKey(
        "xapi.PlatformSelection",
        verbose_name=_("平台入选"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recognitions",
    )

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("认定")
        verbose_name_plural = _("认定")
        ordering = ["kind", "number"]
        constraints = [
            choice_check("kind", Kind, name="accr_recognition_kind_valid"),
            choice_check("status", RecognitionStatus, name="accr_recognition_status_valid"),
            choice_check("source", Source, name="accr_recognition_source_valid"),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="accr_recognition_period_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(source="application") | models.Q(application__isnull=False),
                name="accr_recognition_application_source",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    audit_organisation = "holder_id"
    audit_district = "district_id"

    def scope_pairs(self) -> set[tuple[str, int]]:
        return {(str(s["occupation"]), int(s["level"])) for s in self.scope or []}


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待区级核查")
    ACCEPTED = "accepted", _("核查通过")
    RETURNED = "returned", _("退回补正")


class AnnualReport(models.Model):
    """A holder's annual report on a recognition (年度报告), checked by the district."""

    recognition = models.ForeignKey(
        Recognition, verbose_name=_("认定"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=bounded(YEAR_MIN, YEAR_MAX))
    trained = models.PositiveIntegerField(
        _("年度培训人次"), default=0, validators=bounded(0, 10_000_000)
    )
    body = models.TextField(_("报告内容"), max_length=TEXT_MAX)
    status = models.CharField(
        _("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=clock.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    check_note = models.CharField(_("核查意见"), max_length=500, blank=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recognition", "year"], name="accr_report_once_a_year"),
            choice_check("status", ReportStatus, name="accr_report_status_valid"),
            range_check("year", YEAR_MIN, YEAR_MAX, name="accr_report_year_range"),
            range_check("trained", 0, 10_000_000, name="accr_report_trained_range"),
        ]

    def __str__(self) -> str:
        return f"{self.recognition_id} {self.year}"

    audit_organisation = "recognition.holder_id"
    audit_district = "recognition.district_id"


class ChangeKind(models.TextChoices):
    SCOPE = "scope", _("变更认定范围")
    LEADER = "leader", _("变更工作室领办人")


class ChangeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("不予批准")


class ChangeRequest(models.Model):
    """A holder asks to change a recognition: new occupations/levels in an evaluation body's
    scope, or a new leader of a master studio. The bureau approves (the recognition changes)
    or refuses, with a reason."""

    recognition = models.ForeignKey(
        Recognition, verbose_name=_("认定"), on_delete=models.PROTECT, related_name="changes"
    )
    change = models.CharField(_("变更事项"), max_length=12, choices=ChangeKind.choices)
    new_scope = models.JSONField(_("变更后的范围"), default=list, blank=True)
    new_leader = models.ForeignKey(
        "registry.Person",
        verbose_name=_("新领办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("变更理由"), max_length=500)
    status = models.CharField(
        _("状态"), max_length=12, choices=ChangeStatus.choices, default=ChangeStatus.SUBMITTED
    )
    requested_at = models.DateTimeField(_("申请时间"), default=clock.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    eligibility = models.JSONField(_("条件核验"), default=dict, blank=True)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("变更申请")
        verbose_name_plural = _("变更申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            choice_check("change", ChangeKind, name="accr_change_kind_valid"),
            choice_check("status", ChangeStatus, name="accr_change_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(change="leader") | models.Q(new_leader__isnull=False),
                name="accr_change_leader_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recognition_id} {self.change}"

    audit_organisation = "recognition.holder_id"
    audit_district = "recognition.district_id"
