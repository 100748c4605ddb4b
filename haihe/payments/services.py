"""Paying what programmes grant: payment batches, the bank payment file, and each payment's
result — for every registered payable kind (haihe.payments.payables).

A payable waits in its kind's queue while it is approved and has no live payment; a failed
payment stops being live, so the payable goes back to the queue for a later batch. Results can
be recorded one by one or uploaded as a file, all or nothing."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.core import clock, numbering
from haihe.core.audit import log_action
from haihe.core.exports import XlsxBook, csv_bytes
from haihe.core.tabular import Column, RowError, TableError, parse_table
from haihe.payments import perms
from haihe.payments.models import BatchStatus, Payment, PaymentBatch, PaymentStatus
from haihe.payments.payables import PayableKind, kind_of
from haihe.payments.workflows import batch_workflow, payment_workflow

PAID_WORDS = {"paid", "success", "ok", "已支付", "成功", "支付成功"}
FAILED_WORDS = {"failed", "fail", "failure", "失败", "支付失败"}


def queue(kind: PayableKind):
    """The kind's payables waiting for payment: approved, with no live payment (never paid, or
    their last payment failed)."""
    live = Payment.objects.filter(payable_type=kind.content_type, live=True)
    return kind.approved().exclude(pk__in=live.values("payable_id"))


@transaction.atomic
def batch_create(
    *, actor, kind: str, payables: list, note: str = "", channel: str = "web"
) -> PaymentBatch:
    """A draft batch of approved payables of one kind waiting for payment; all or nothing."""
    if not perms.can_manage_payments(actor):
        raise PermissionDenied(_("您无权编制支付批次。"))
    payable_kind = kind_of(kind)
    ids = [p.pk for p in payables]
    locked = list(
        payable_kind.model_class._default_manager.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if not locked:
        raise ValidationError(_("请选择要支付的事项。"))
    waiting = set(queue(payable_kind).filter(pk__in=ids).values_list("pk", flat=True))
    problems, payees = [], {}
    for payable in locked:
        label = payable_kind.label_of(payable)
        payee = payees[payable.pk] = payable_kind.payee(payable)
        if payable.pk not in waiting:
            problems.append(_("%(item)s：不在待支付队列中。") % {"item": label})
        elif not payee.bank_account:
            problems.append(
                _("%(item)s：%(payee)s 未登记银行账号。") % {"item": label, "payee": payee.name}
            )
    if problems:
        raise ValidationError(problems)
    batch = PaymentBatch(
        number=numbering.issue("ZF", period=f"{clock.today():%Y%m%d}", width=3),
        kind=kind,
        note=note.strip()[:255],
        created_by=actor,
    )
    batch_workflow.start(batch)
    batch.save()
    content_type = payable_kind.content_type
    rows = []
    for payable in locked:
        payee, label = payees[payable.pk], payable_kind.label_of(payable)
        rows.append(
            payment_workflow.start(
                Payment(
                    batch=batch,
                    payable_type=content_type,
                    payable_id=payable.pk,
                    payable_label=label,
                    organisation_id=payee.organisation_id,
                    district_id=payee.district_id,
                    payee=payee.name,
                    payee_identifier=payee.identifier,
                    bank_name=payee.bank_name,
                    bank_account=payee.bank_account,
                    amount=payable_kind.amount(payable),
                    reference=f"{batch.number}-{label}",
                )
            )
        )
    Payment.objects.bulk_create(rows)
    log_action(
        actor=actor,
        action="payment_batch.created",
        target=batch,
        data={
            "kind": kind,
            "items": [r.payable_label for r in rows],
            "total": sum((r.amount for r in rows), Decimal(0)),
        },
        channel=channel,
    )
    return batch


@transaction.atomic
def batch_cancel(*, actor, batch: PaymentBatch, reason: str = "", channel: str = "web"):
    """Cancel a draft batch: its payables go back to the queue."""
    batch_workflow.apply(actor=actor, obj=batch, name="cancel", reason=reason, channel=channel)
    Payment.objects.filter(batch=batch).update(live=False)
    return batch


def export_columns():
    return [
        _("收款人"),
        _("证件号码"),
        _("开户银行"),
        _("银行账号"),
        _("金额（元）"),
        _("附言"),
    ]


def export_rows(batch: PaymentBatch):
    for line in batch.payments.filter(live=True).order_by("id"):
        yield [
            line.payee,
            line.payee_identifier,
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


def _apply_result(actor, line: Payment, paid: bool, reason: str, channel: str, now):
    data = {"amount": line.amount, "item": line.payable_label}
    if paid:
        payment_workflow.apply(
            actor=actor,
            obj=line,
            name="record_paid",
            channel=channel,
            extra_updates={"result_at": now},
            data=data,
        )
        kind = kind_of(line.batch.kind)
        payable = kind.model_class._default_manager.get(pk=line.payable_id)
        kind.on_paid(payable, line, actor)
    else:
        payment_workflow.apply(
            actor=actor,
            obj=line,
            name="record_failed",
            reason=reason,
            channel=channel,
            extra_updates={"result_at": now, "live": False, "failure_reason": reason.strip()[:255]},
            data=data,
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
    *, actor, line: Payment, paid: bool, reason: str = "", channel: str = "web"
) -> Payment:
    """The bank's answer for one payment: paid, or failed with a reason (the payable goes back
    to the payment queue)."""
    if not perms.can_manage_payments(actor):
        raise PermissionDenied(_("您无权登记支付结果。"))
    line = Payment.objects.select_related("batch").get(pk=line.pk)
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
    lines = {line.reference: line for line in batch.payments.filter(live=True)}
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
