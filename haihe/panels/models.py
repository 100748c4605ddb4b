"""Expert panels: the roster of experts, panels and their members, the cases a panel scores,
assignments of cases to members, score sheets, the aggregate of each scoring round, and declared
conflicts of interest.

Statuses change only through the workflows of workflows.py; nothing is deleted that a result
depended on (an assignment is cancelled or recused, a declaration voided, an aggregate kept
beside the next one).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from haihe.core import clock
from haihe.panels.scopes import (
    AggregationQuerySet,
    AssignmentQuerySet,
    ConflictDeclarationQuerySet,
    ExpertQuerySet,
    PanelCaseQuerySet,
    PanelMemberQuerySet,
    PanelQuerySet,
    ScoreQuerySet,
    ScoreSheetQuerySet,
)


class ExpertStatus(models.TextChoices):
    ACTIVE = "active", _("在库")
    RETIRED = "retired", _("已出库")


class Expert(models.Model):
    """A person on the bureau's roster of experts. Their account is the account of role
    `expert` whose person is this person (accounts.User.person)."""

    person = models.OneToOneField(
        "registry.Person",
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        related_name="expert_profile",
    )
    employer = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("申报工作单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("职称或职务"), max_length=100, blank=True)
    expertise = models.CharField(_("专业领域"), max_length=255, blank=True)
    specialities = models.ManyToManyField(
        "registry.Occupation", verbose_name=_("擅长职业"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ExpertStatus.choices, default=ExpertStatus.ACTIVE
    )
    note = models.CharField(_("备注"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("入库时间"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ExpertQuerySet.as_manager()

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ["person__name", "pk"]

    def __str__(self) -> str:
        return self.person.name


class PanelStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    SCORING = "scoring", _("评分中")
    LOCKED = "locked", _("已锁定")
    SIGNED = "signed", _("组长已签字")
    SIGNED_OFF = "signed_off", _("已签发")
    CANCELLED = "cancelled", _("已撤销")


class Panel(models.Model):
    """A panel of experts for one purpose; it scores the cases added to it against the scheme
    in force on its reference date (copied onto the panel when it opens)."""

    purpose = models.CharField(_("评审事项"), max_length=64, db_index=True)
    name = models.CharField(_("名称"), max_length=200)
    reference_date = models.DateField(_("评分办法适用日期"))
    deadline = models.DateField(_("评分截止日期"), null=True, blank=True)
    blind = models.BooleanField(_("盲评"), default=False)
    chair = models.ForeignKey(
        Expert,
        verbose_name=_("组长"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scheme = models.JSONField(_("评分办法"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=PanelStatus.choices, default=PanelStatus.DRAFT
    )
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    chair_signed_at = models.DateTimeField(_("组长签字时间"), null=True, blank=True)
    chair_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    countersigned_at = models.DateTimeField(_("复核签发时间"), null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PanelQuerySet.as_manager()

    class Meta:
        verbose_name = _("评审专家组")
        verbose_name_plural = _("评审专家组")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="members")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="memberships")
    joined_at = models.DateTimeField(_("加入时间"), default=clock.now)
    withdrawn_at = models.DateTimeField(_("退出时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("退出理由"), max_length=500, blank=True)

    objects = PanelMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("专家组成员")
        verbose_name_plural = _("专家组成员")
        ordering = ["panel", "expert__person__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "expert"], name="panel_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.panel} · {self.expert}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class CaseStatus(models.TextChoices):
    SCORING = "scoring", _("评分中")
    RESCORE = "rescore", _("待重新评分")
    SCORED = "scored", _("已评定")
    WITHDRAWN = "withdrawn", _("已撤出")


class PanelCase(models.Model):
    """One case a panel scores: any model instance (content type and id), with a random code
    that is its blind label's core. Its string form never names the case (it is what audit
    entries and scorers' pages show)."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="cases")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    code = models.CharField(_("编号"), max_length=16)
    status = models.CharField(
        _("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.SCORING
    )
    round = models.PositiveSmallIntegerField(_("评分轮次"), default=1)
    score = models.DecimalField(
        _("综合得分"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    added_at = models.DateTimeField(_("加入时间"), default=clock.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PanelCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("评审案卷")
        verbose_name_plural = _("评审案卷")
        ordering = ["panel", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "content_type", "object_id"], name="panel_case_unique"
            ),
            models.UniqueConstraint(fields=["panel", "code"], name="panel_case_code_unique"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.panel} · {self.code}"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("已分配")
    RECUSED = "recused", _("已回避")
    CANCELLED = "cancelled", _("已取消")


class AssignmentMethod(models.TextChoices):
    MANUAL = "manual", _("人工指定")
    RANDOM = "random", _("随机抽取")


class Assignment(models.Model):
    """A case given to a member to score."""

    case = models.ForeignKey(PanelCase, on_delete=models.PROTECT, related_name="assignments")
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
    )
    method = models.CharField(_("分配方式"), max_length=16, choices=AssignmentMethod.choices)
    seed = models.BigIntegerField(_("随机种子"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("分配时间"), default=clock.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField(_("回避或取消理由"), max_length=500, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分任务")
        verbose_name_plural = _("评分任务")
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "member"],
                condition=models.Q(status="assigned"),
                name="assignment_live_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.member.expert}"


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("未提交")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回重评")
    LOCKED = "locked", _("已锁定")
    VOIDED = "voided", _("已作废")


class ScoreSheet(models.Model):
    """One member's scores of one case."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="sheet")
    status = models.CharField(
        _("状态"), max_length=16, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    total = models.DecimalField(
        _("加权总分"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    comment = models.TextField(_("评语"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_round = models.PositiveSmallIntegerField(_("提交轮次"), null=True, blank=True)
    return_reason = models.CharField(_("退回理由"), max_length=1000, blank=True)

    objects = ScoreSheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")

    def __str__(self) -> str:
        return str(self.assignment)


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(_("评分项"), max_length=32)
    value = models.DecimalField(_("得分"), max_digits=7, decimal_places=2)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("得分")
        verbose_name_plural = _("得分")
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="score_unique")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Aggregation(models.Model):
    """The outcome of one scoring round of a case: accepted (its score is the case's) or sent
    back because the scorers disagreed beyond the limit. Kept for every round."""

    case = models.ForeignKey(PanelCase, on_delete=models.PROTECT, related_name="aggregations")
    round = models.PositiveSmallIntegerField(_("评分轮次"))
    accepted = models.BooleanField(_("通过分差检查"))
    method = models.CharField(_("计分方法"), max_length=32)
    score = models.DecimalField(_("综合得分"), max_digits=9, decimal_places=2, null=True)
    spread = models.DecimalField(_("最大分差"), max_digits=9, decimal_places=2, null=True)
    totals = models.JSONField(_("各专家总分"), default=list)
    decision = models.JSONField(_("计算说明"), default=dict)
    computed_at = models.DateTimeField(_("计算时间"), default=clock.now)

    objects = AggregationQuerySet.as_manager()

    class Meta:
        verbose_name = _("计分结果")
        verbose_name_plural = _("计分结果")
        ordering = ["case", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} #{self.round}"


class ConflictDeclaration(models.Model):
    """A conflict of interest an expert declared (or the bureau recorded for them): with one
    case, with an organisation, or with a person. Voided with a reason, never deleted."""

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="declarations")
    case = models.ForeignKey(
        PanelCase,
        verbose_name=_("案卷"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="declarations",
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("理由"), max_length=500)
    declared_at = models.DateTimeField(_("申报时间"), default=clock.now)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废理由"), max_length=500, blank=True)

    objects = ConflictDeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("利益冲突申报")
        verbose_name_plural = _("利益冲突申报")
        ordering = ["-declared_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False)
                | models.Q(organisation__isnull=False)
                | models.Q(person__isnull=False),
                name="declaration_has_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.reason[:40]}"

    @property
    def live(self) -> bool:
        return self.voided_at is None
