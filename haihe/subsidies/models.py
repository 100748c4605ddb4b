"""Training subsidies paid on outcomes (政府购买培训成果): the dated catalogue, claims with their
lines and checks, and payment batches.

Money is Decimal yuan with 2 places. Nothing a decision depended on is deleted: catalogue rows
are voided with a reason, checks are superseded when a claim is checked again, and a failed
payment line stays beside the line that later paid the claim.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haihe.core import clock
from haihe.registry.models import SkillLevel
from haihe.subsidies.scopes import (
    CatalogueEntryQuerySet,
    ClaimCheckQuerySet,
    ClaimLineQuerySet,
    ClaimQuerySet,
    PaymentBatchQuerySet,
    PaymentLineQuerySet,
)
from haihe.training.models import OutcomeKind

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


class CatalogueEntry(models.Model):
    """One price of the catalogue: occupation × level × outcome type → yuan, from a date.

    A combination without a row uses the dated default per outcome type and level (parameter
    `subsidies.default_amounts`). A wrong row is voided with a reason, never deleted."""

    occupation = models.ForeignKey(
        "registry.Occupation",
        verbose_name=_("职业（工种）"),
        on_delete=models.PROTECT,
        related_name="subsidy_catalogue",
    )
    level = models.PositiveSmallIntegerField(_("等级"), choices=SkillLevel.choices)
    outcome_kind = models.CharField(_("成果类型"), max_length=20, choices=OutcomeKind.choices)
    amount = models.DecimalField(_("补贴标准（元）"), **MONEY)
    effective_from = models.DateField(_("生效日期"))
    source = models.CharField(_("依据"), max_length=500)
    created_at = models.DateTimeField(_("录入时间"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.CharField(_("作废理由"), max_length=255, blank=True)

    objects = CatalogueEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("补贴目录条目")
        verbose_name_plural = _("补贴目录")
        ordering = ["occupation__code", "level", "outcome_kind", "-effective_from"]
        indexes = [
            models.Index(fields=["occupation", "level", "outcome_kind", "-effective_from"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "level", "outcome_kind", "effective_from"],
                condition=models.Q(voided_at__isnull=True),
                name="catalogue_one_live_row_per_day",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="catalogue_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        combination = f"{self.occupation_id}-{self.level}-{self.outcome_kind}"
        return f"{combination} {self.amount} @{self.effective_from}"


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待区级审核")
    DISTRICT_APPROVED = "district_approved", _("待市级审核")
    RETURNED = "returned", _("已退回修改")
    REJECTED = "rejected", _("不予补贴")
    APPROVED = "approved", _("已批准，待支付")
    PAID = "paid", _("已支付")
    WITHDRAWN = "withdrawn", _("已撤回")


IN_REVIEW = (ClaimStatus.SUBMITTED, ClaimStatus.DISTRICT_APPROVED)
GRANTED = (ClaimStatus.APPROVED, ClaimStatus.PAID)


class Claim(models.Model):
    """An institution's claim for one class: a line per trainee with an outcome."""

    number = models.CharField(_("申领编号"), max_length=20, unique=True)
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("申领单位"),
        on_delete=models.PROTECT,
        related_name="subsidy_claims",
    )
    training_class = models.ForeignKey(
        "training.TrainingClass",
        verbose_name=_("培训班"),
        on_delete=models.PROTECT,
        related_name="subsidy_claims",
    )
    district = models.ForeignKey(
        "registry.District",
        verbose_name=_("审核区"),
        on_delete=models.PROTECT,
        related_name="subsidy_claims",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT
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
    submissions = models.PositiveSmallIntegerField(_("提交次数"), default=0)
    stage_due_on = models.DateField(_("本环节办理时限"), null=True, blank=True, db_index=True)
    district_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("区级审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    district_reviewed_at = models.DateTimeField(_("区级审核时间"), null=True, blank=True)
    municipal_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("市级审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    municipal_reviewed_at = models.DateTimeField(_("市级审核时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("支付时间"), null=True, blank=True)
    review_reason = models.TextField(_("退回或不予补贴理由"), blank=True)
    claimed_amount = models.DecimalField(_("申领金额（元）"), default=ZERO, **MONEY)
    approved_amount = models.DecimalField(_("核准金额（元）"), default=ZERO, **MONEY)
    included_lines = models.PositiveIntegerField(_("申领人数"), default=0)
    raised_checks = models.PositiveIntegerField(_("核查提示"), default=0)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("补贴申领")
        verbose_name_plural = _("补贴申领")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "district", "submitted_at"]),
            models.Index(fields=["organisation", "status"]),
        ]

    def __str__(self) -> str:
        return self.number

    # the organisation and district an audit event about a row belongs to (core.audit)
    audit_organisation = "organisation_id"
    audit_district = "district_id"

    @property
    def in_review(self) -> bool:
        return self.status in IN_REVIEW


class LineStatus(models.TextChoices):
    INCLUDED = "included", _("申领")
    INELIGIBLE = "ineligible", _("不符合条件（未申领）")
    EXCLUDED = "excluded", _("审核剔除")


class ClaimLine(models.Model):
    """One trainee's outcome in a claim, with the decision that priced or refused it.

    `holds_outcome` is True while this line stands for the outcome (included or excluded by a
    reviewer, in a claim not withdrawn): the database then refuses a second such line, so an
    outcome is never paid twice."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="lines")
    outcome = models.ForeignKey(
        "training.Outcome",
        verbose_name=_("培训成果"),
        on_delete=models.PROTECT,
        related_name="subsidy_lines",
    )
    enrolment = models.ForeignKey(
        "training.Enrolment", on_delete=models.PROTECT, related_name="subsidy_lines"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("学员"),
        on_delete=models.PROTECT,
        related_name="subsidy_lines",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=LineStatus.choices, default=LineStatus.INCLUDED
    )
    amount = models.DecimalField(_("补贴金额（元）"), default=ZERO, **MONEY)
    decision = models.JSONField(_("计算说明"), default=dict, blank=True)
    holds_outcome = models.BooleanField(default=False)
    filed_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    exclusion_reason = models.CharField(_("剔除理由"), max_length=255, blank=True)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    excluded_at = models.DateTimeField(_("剔除时间"), null=True, blank=True)

    objects = ClaimLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("申领明细")
        verbose_name_plural = _("申领明细")
        ordering = ["claim", "id"]
        indexes = [models.Index(fields=["person", "holds_outcome"])]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome"],
                condition=models.Q(holds_outcome=True),
                name="claim_line_outcome_claimed_once",
            ),
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=models.Q(holds_outcome=True),
                name="claim_line_enrolment_claimed_once",
            ),
            models.UniqueConstraint(fields=["claim", "outcome"], name="claim_line_once_per_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}/{self.outcome_id}"

    # the organisation and district an audit event about a row belongs to (core.audit)
    audit_organisation = "claim.organisation_id"
    audit_district = "claim.district_id"


class ClaimCheck(models.Model):
    """A raised check (a fact a reviewer must look at), with its evidence."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="checks")
    line = models.ForeignKey(
        ClaimLine, null=True, blank=True, on_delete=models.PROTECT, related_name="checks"
    )
    code = models.CharField(_("核查项"), max_length=40, db_index=True)
    evidence = models.JSONField(_("证据"), default=dict)
    raised_at = models.DateTimeField(_("提示时间"), default=clock.now)
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = ClaimCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("核查提示")
        verbose_name_plural = _("核查提示")
        ordering = ["claim", "code", "id"]
        indexes = [models.Index(fields=["claim", "superseded_at"])]

    def __str__(self) -> str:
        return f"{self.claim_id}:{self.code}"

    @property
    def message(self) -> str:
        from haihe.subsidies.checks import check_message

        return check_message(self.code, self.evidence)

    @property
    def label(self) -> str:
        from haihe.subsidies.checks import CHECK_LABELS

        return str(CHECK_LABELS.get(self.code, self.code))


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("编制中")
    EXPORTED = "exported", _("已导出，待银行回单")
    CLOSED = "closed", _("已办结")
    CANCELLED = "cancelled", _("已取消")


class PaymentBatch(models.Model):
    number = models.CharField(_("批次编号"), max_length=20, unique=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    note = models.CharField(_("备注"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编制人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("编制时间"), default=clock.now)
    exported_at = models.DateTimeField(_("导出时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = PaymentBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("支付批次")
        verbose_name_plural = _("支付批次")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("待支付")
    PAID = "paid", _("已支付")
    FAILED = "failed", _("支付失败")


class PaymentLine(models.Model):
    """One transfer of a batch: an approved claim's amount to the claiming organisation.

    Payee, USCC and bank account are copied when the line is made, so the file and the record
    agree even if the organisation later changes its account."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="lines")
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="payments")
    payee = models.CharField(_("收款单位"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    bank_name = models.CharField(_("开户银行"), max_length=100, blank=True)
    bank_account = models.CharField(_("银行账号"), max_length=34)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    reference = models.CharField(_("附言"), max_length=50, unique=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    failure_reason = models.CharField(_("失败原因"), max_length=255, blank=True)
    result_at = models.DateTimeField(_("结果登记时间"), null=True, blank=True)
    live = models.BooleanField(default=True)

    objects = PaymentLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("支付明细")
        verbose_name_plural = _("支付明细")
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"], condition=models.Q(live=True), name="payment_one_live_per_claim"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    # the organisation and district an audit event about a row belongs to (core.audit)
    audit_organisation = "claim.organisation_id"
    audit_district = "claim.district_id"
