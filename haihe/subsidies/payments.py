"""Paying approved claims: payment batches, the bank payment file, and each line's result.

A claim waits in the payment queue while it is approved and has no live payment line; a failed
line stops being live, so the claim goes back to the queue for a later batch. Results can be
recorded line by line or uploaded as a file, all or nothing."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.core import clock, numbering
from haihe.core.audit import log_action
from haihe.core.exports import XlsxBook, csv_bytes
from haihe.core.tabular import Column, RowError, TableError, parse_table
from haihe.subsidies import perms
from haihe.subsidies.models import (
    BatchStatus,
    Claim,
    ClaimStatus,
    PaymentBatch,
    PaymentLine,
    PaymentStatus,
)
from haihe.subsidies.workflows import batch_workflow, claim_workflow, payment_workflow

PAID_WORDS = {"paid", "success", "ok", "已支付", "成功", "支付成功"}
FAILED_WORDS = {"failed", "fail", "failure", "失败", "支付失败"}


def payment_queue():
    """Approved claims with no live payment line (never paid, or their last payment failed)."""
    return Claim.objects.filter(status=ClaimStatus.APPROVED).exclude(payments__live=True)


@transaction.atomic
def batch_create(*, actor, claims: list[Claim], note: str = "", channel: str = "web"):
    """A draft batch of approved claims waiting for payment; all or nothing."""
    if not perms.can_manage_payments(actor):
        raise PermissionDenied(_("您无权编制支付批次。"))
    ids = [c.pk for c in claims]
    locked = list(
        Claim.objects.select_for_update()
        .filter(pk__in=ids)
        .select_related("organisation")
        .order_by("pk")
    )
    if not locked:
        raise ValidationError(_("请选择要支付的申领。"))
    waiting = set(payment_queue().filter(pk__in=ids).values_list("pk", flat=True))
    problems = []
    for claim in locked:
        if claim.pk not in waiting:
            problems.append(_("%(claim)s：不在待支付队列中。") % {"claim": claim.number})
        elif not claim.organisation.bank_account:
            problems.append(
                _("%(claim)s：%(org)s 未登记银行账号。")
                % {"claim": claim.number, "org": claim.organisation.name}
            )
    if problems:
        raise ValidationError(problems)
    batch = PaymentBatch.objects.create(
        number=numbering.issue("ZF", period=f"{clock.today():%Y%m%d}", width=3),
        note=note.strip()[:255],
        created_by=actor,
    )
    lines = [
        PaymentLine(
            batch=batch,
            claim=claim,
            payee=claim.organisation.name,
            uscc=claim.organisation.uscc,
            bank_name=claim.organisation.bank_name,
            bank_account=claim.organisation.bank_account,
            amount=claim.approved_amount,
            reference=f"{batch.number}-{claim.number}",
        )
        for claim in locked
    ]
    PaymentLine.objects.bulk_create(lines)
    log_action(
        actor=actor,
        action="payment_batch.created",
        target=batch,
        data={
            "claims": [c.number for c in locked],
            "total": sum((c.approved_amount for c in locked), Decimal(0)),
        },
        channel=channel,
    )
    return batch


@transaction.atomic
def batch_cancel(*, actor, batch: PaymentBatch, reason: str = "", channel: str = "web"):
    """Cancel a draft batch: its claims go back to the queue."""
    batch_workflow.apply(actor=actor, obj=batch, name="cancel", reason=reason, channel=channel)
    PaymentLine.objects.filter(batch=batch).update(live=False)
    return batch


def export_columns():
    return [
        _("收款单位"),
        _("统一社会信用代码"),
        _("开户银行"),
        _("银行账号"),
        _("金额（元）"),
        _("附言"),
    ]


def export_rows(batch: PaymentBatch):
    for line in batch.lines.filter(live=True).order_by("id"):
        yield [
            line.payee,
            line.uscc,
            line.bank_name,
            line.bank_account,
            f"{line.amount:.2f}",
            line.reference,
        ]


@transaction.atomic
def batch_export(*, actor, batch: PaymentBatch, fmt: str, channel: str = "web") -> bytes:
    """The bank payment file (xlsx or csv). The first export locks the batch."""
    if not perms.can_manage_payments(actor):
        raise PermissionDenied(_("您无权导出支付文件。"))
    if fmt not in ("xlsx", "csv"):
        raise ValidationError(_("只支持 xlsx 或 csv。"))
    if batch.status == BatchStatus.DRAFT:
        batch_workflow.apply(
            actor=actor,
            obj=batch,
            name="export",
            channel=channel,
            extra_updates={"exported_at": clock.now()},
        )
    elif batch.status not in (BatchStatus.EXPORTED, BatchStatus.CLOSED):
        raise ValidationError(_("已取消的批次不能导出。"))
    else:
        log_action(
            actor=actor,
            action="payment_batch.downloaded",
            target=batch,
            data={"format": fmt},
            channel=channel,
        )
    header = export_columns()
    rows = list(export_rows(batch))
    if fmt == "csv":
        return csv_bytes([header, *rows])
    # Every cell is a neutralised string cell (account numbers and USCCs stay text: Excel would
    # round long digit strings), except the amount, kept an exact number with two decimals.
    book = XlsxBook()
    sheet = book.sheet(batch.number, numbers={4: "0.00"})
    sheet.append(header)
    for row in rows:
        sheet.append([*row[:4], Decimal(row[4]), row[5]])
    return book.to_bytes()


def _apply_result(actor, line: PaymentLine, paid: bool, reason: str, channel: str, now):
    if paid:
        payment_workflow.apply(
            actor=actor,
            obj=line,
            name="record_paid",
            channel=channel,
            extra_updates={"result_at": now},
            data={"amount": line.amount, "claim": line.claim.number},
        )
        claim_workflow.apply(
            actor=None,  # the platform, on the bureau's recorded bank result
            obj=line.claim,
            name="mark_paid",
            channel=channel,
            extra_updates={"paid_at": now},
            data={"batch": line.batch.number, "reference": line.reference},
        )
    else:
        payment_workflow.apply(
            actor=actor,
            obj=line,
            name="record_failed",
            reason=reason,
            channel=channel,
            extra_updates={"result_at": now, "live": False, "failure_reason": reason.strip()[:255]},
            data={"amount": line.amount, "claim": line.claim.number},
        )


def _close_if_done(actor, batch: PaymentBatch, channel: str) -> None:
    batch.refresh_from_db()
    if (
        batch.status == BatchStatus.EXPORTED
        and batch_workflow.refusal(actor, batch, "close") is None
    ):
        batch_workflow.apply(
            actor=actor,
            obj=batch,
            name="close",
            channel=channel,
            extra_updates={"closed_at": clock.now()},
        )


@transaction.atomic
def payment_record(
    *, actor, line: PaymentLine, paid: bool, reason: str = "", channel: str = "web"
) -> PaymentLine:
    """The bank's answer for one line: paid, or failed with a reason (the claim goes back to
    the payment queue)."""
    if not perms.can_manage_payments(actor):
        raise PermissionDenied(_("您无权登记支付结果。"))
    line = PaymentLine.objects.select_related("batch", "claim").get(pk=line.pk)
    if not paid and not (reason or "").strip():
        raise ValidationError({"reason": _("请填写失败原因。")})
    _apply_result(actor, line, paid, reason, channel, clock.now())
    _close_if_done(actor, line.batch, channel)
    line.refresh_from_db()
    return line


def _parse_result(raw: str) -> str:
    word = raw.strip().lower()
    if word in PAID_WORDS:
        return PaymentStatus.PAID
    if word in FAILED_WORDS:
        return PaymentStatus.FAILED
    raise ValidationError(_("结果应为“已支付”或“失败”。"))


def _parse_amount(raw: str) -> Decimal:
    try:
        return Decimal(raw.replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValidationError(_("金额格式不正确。")) from exc


RESULT_COLUMNS = [
    Column("reference", gettext_lazy("附言"), example="ZF20201015001-BT20200000001"),
    Column("result", gettext_lazy("结果"), _parse_result, example="已支付"),
    Column("reason", gettext_lazy("失败原因"), required=False, example=""),
    Column("amount", gettext_lazy("金额（元）"), _parse_amount, required=False, example="1500.00"),
]


class ResultFileError(ValidationError):
    """The results file was refused; `rows` names every bad row (nothing was recorded)."""

    def __init__(self, rows: list[RowError]):
        super().__init__([f"{r.row}: {r.column} {r.message}".strip() for r in rows])
        self.rows = rows


@transaction.atomic
def payment_results_upload(
    *, actor, batch: PaymentBatch, filename: str, data: bytes, channel: str = "web"
) -> dict:
    """The bank's results file for a batch (reference, result, failure reason, amount): every row
    is checked first; one bad row and nothing is recorded."""
    if not perms.can_manage_payments(actor):
        raise PermissionDenied(_("您无权登记支付结果。"))
    try:
        parsed = parse_table(RESULT_COLUMNS, data, filename)
    except TableError as exc:
        raise ResultFileError([RowError(0, "", str(exc))]) from exc
    errors = list(parsed.errors)
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.EXPORTED:
        errors.append(RowError(0, "", _("支付文件导出后、办结前才能登记结果。")))
    lines = {line.reference: line for line in batch.lines.filter(live=True).select_related("claim")}
    seen: dict[str, int] = {}
    reference_label, reason_label = str(RESULT_COLUMNS[0].label), str(RESULT_COLUMNS[2].label)
    amount_label = str(RESULT_COLUMNS[3].label)
    for number, row in parsed.rows:
        reference = row.get("reference")
        if not reference:
            continue
        line = lines.get(reference)
        if line is None:
            errors.append(RowError(number, reference_label, _("本批次中没有该附言。"), reference))
            continue
        if reference in seen:
            errors.append(
                RowError(
                    number,
                    reference_label,
                    _("与第 %(row)d 行重复。") % {"row": seen[reference]},
                    reference,
                )
            )
            continue
        seen[reference] = number
        if line.status != PaymentStatus.PENDING:
            errors.append(RowError(number, reference_label, _("该笔已登记结果。"), reference))
        if row.get("result") == PaymentStatus.FAILED and not (row.get("reason") or "").strip():
            errors.append(RowError(number, reason_label, _("支付失败时必须填写原因。")))
        amount = row.get("amount")
        if amount is not None and amount != line.amount:
            errors.append(
                RowError(
                    number,
                    amount_label,
                    _("金额与支付明细不符（应为 %(amount)s）。") % {"amount": line.amount},
                    str(amount),
                )
            )
    if not parsed.rows and not errors:
        errors.append(RowError(0, "", _("文件中没有数据行。")))
    if errors:
        errors.sort(key=lambda e: (e.row, e.column))
        raise ResultFileError(errors)
    now = clock.now()
    summary = {"paid": 0, "failed": 0}
    for _number, row in parsed.rows:
        line = lines[row["reference"]]
        paid = row["result"] == PaymentStatus.PAID
        _apply_result(actor, line, paid, row.get("reason") or "", channel, now)
        summary["paid" if paid else "failed"] += 1
    log_action(
        actor=actor,
        action="payment_batch.results_uploaded",
        target=batch,
        data={"filename": filename, **summary},
        channel=channel,
    )
    _close_if_done(actor, batch, channel)
    return summary
