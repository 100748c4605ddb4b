"""Paying what programmes grant: payment batches, and one payment per payable.

A payable is anything a programme module registers (haihe.payments.payables): a training
subsidy claim today; an on-the-job training claim, an apprenticeship subsidy or a prize later.
A payment copies the payee, its identifier and bank account when it is made, so the bank file
and the record agree even if the payee later changes its account. Money is Decimal yuan with 2
places. A failed payment stays beside the one that later paid the payable (it stops being live).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from haihe.core import clock
from haihe.payments.scopes import PaymentBatchQuerySet, PaymentQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("编制中")
    EXPORTED = "exported", _("已导出，待银行回单")
    CLOSED = "closed", _("已办结")
    CANCELLED = "cancelled", _("已取消")


class PaymentBatch(models.Model):
    number = models.CharField(_("批次编号"), max_length=20, unique=True)
    kind = models.CharField(_("支付项目"), max_length=40, db_index=True)
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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in BatchStatus]),
                name="payment_batch_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def kind_label(self):
        from haihe.payments.payables import KINDS

        kind = KINDS.get(self.kind)
        return kind.label if kind else self.kind


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("待支付")
    PAID = "paid", _("已支付")
    FAILED = "failed", _("支付失败")


class Payment(models.Model):
    """One transfer of a batch: what a payable grants, to its payee."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="payments")
    payable_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    payable_id = models.BigIntegerField()
    payable_label = models.CharField(_("支付事项"), max_length=40)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    district_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    payee = models.CharField(_("收款人"), max_length=200)
    payee_identifier = models.CharField(_("收款人证件号码"), max_length=18)
    bank_name = models.CharField(_("开户银行"), max_length=100, blank=True)
    bank_account = models.CharField(_("银行账号"), max_length=34)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    reference = models.CharField(_("附言"), max_length=64, unique=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    failure_reason = models.CharField(_("失败原因"), max_length=255, blank=True)
    result_at = models.DateTimeField(_("结果登记时间"), null=True, blank=True)
    live = models.BooleanField(default=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("支付明细")
        verbose_name_plural = _("支付明细")
        ordering = ["batch", "id"]
        indexes = [models.Index(fields=["payable_type", "payable_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["payable_type", "payable_id"],
                condition=models.Q(live=True),
                name="payment_one_live_per_payable",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0) & models.Q(amount__lt=100_000_000),
                name="payment_amount_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in PaymentStatus]),
                name="payment_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="failed") | models.Q(live=False),
                name="payment_failed_is_not_live",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    # the organisation and district an audit event about a row belongs to (core.audit)
    audit_organisation = "organisation_id"
    audit_district = "district_id"
