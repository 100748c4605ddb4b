"""Copy the training subsidies' payment batches and lines (subsidies.PaymentBatch/PaymentLine)
into the shared payments tables, as payables of kind "training_subsidy"; reversible."""

from django.db import migrations

KIND = "training_subsidy"


def forward(apps, schema_editor):
    OldBatch = apps.get_model("subsidies", "PaymentBatch")
    OldLine = apps.get_model("subsidies", "PaymentLine")
    Batch = apps.get_model("payments", "PaymentBatch")
    Payment = apps.get_model("payments", "Payment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    claim_type, _ = ContentType.objects.get_or_create(app_label="subsidies", model="claim")
    batches = {}
    for old in OldBatch.objects.order_by("pk").iterator():
        batches[old.pk] = Batch.objects.create(
            number=old.number,
            kind=KIND,
            status=old.status,
            note=old.note,
            created_by_id=old.created_by_id,
            created_at=old.created_at,
            exported_at=old.exported_at,
            closed_at=old.closed_at,
        )
    rows = []
    for old in OldLine.objects.select_related("claim").order_by("pk").iterator():
        rows.append(
            Payment(
                batch=batches[old.batch_id],
                payable_type=claim_type,
                payable_id=old.claim_id,
                payable_label=old.claim.number,
                organisation_id=old.claim.organisation_id,
                district_id=old.claim.district_id,
                payee=old.payee,
                payee_identifier=old.uscc,
                bank_name=old.bank_name,
                bank_account=old.bank_account,
                amount=old.amount,
                reference=old.reference,
                status=old.status,
                failure_reason=old.failure_reason,
                result_at=old.result_at,
                live=old.live,
            )
        )
        if len(rows) >= 2000:
            Payment.objects.bulk_create(rows)
            rows = []
    Payment.objects.bulk_create(rows)


def backward(apps, schema_editor):
    OldBatch = apps.get_model("subsidies", "PaymentBatch")
    OldLine = apps.get_model("subsidies", "PaymentLine")
    Batch = apps.get_model("payments", "PaymentBatch")
    Payment = apps.get_model("payments", "Payment")
    batches = {}
    for new in Batch.objects.filter(kind=KIND).order_by("pk").iterator():
        batches[new.pk] = OldBatch.objects.create(
            number=new.number,
            status=new.status,
            note=new.note,
            created_by_id=new.created_by_id,
            created_at=new.created_at,
            exported_at=new.exported_at,
            closed_at=new.closed_at,
        )
    OldLine.objects.bulk_create(
        [
            OldLine(
                batch=batches[p.batch_id],
                claim_id=p.payable_id,
                payee=p.payee,
                uscc=p.payee_identifier,
                bank_name=p.bank_name,
                bank_account=p.bank_account,
                amount=p.amount,
                reference=p.reference,
                status=p.status,
                failure_reason=p.failure_reason,
                result_at=p.result_at,
                live=p.live,
            )
            for p in Payment.objects.filter(batch__kind=KIND).order_by("pk")
        ],
        batch_size=2000,
    )
    Payment.objects.filter(batch__kind=KIND).delete()
    Batch.objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_batches_and_payments"),
        ("subsidies", "0003_claim_stage_deadline_and_line_filing"),
    ]

    operations = [migrations.RunPython(forward, backward)]
