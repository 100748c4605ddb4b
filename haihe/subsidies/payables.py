"""A training subsidy claim is a payable of the shared payments module (haihe.payments): once
the municipality approves it, it waits in the payment queue; the bank's confirmation marks it
paid (a platform transition of the claim's workflow)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haihe.core import clock
from haihe.payments.payables import PayableKind, Payee, register

PAYABLE_KIND = "training_subsidy"


def _approved():
    from haihe.subsidies.models import Claim, ClaimStatus

    return Claim.objects.filter(status=ClaimStatus.APPROVED).select_related("organisation")


def _payee(claim) -> Payee:
    org = claim.organisation
    return Payee(
        name=org.name,
        identifier=org.uscc,
        bank_name=org.bank_name,
        bank_account=org.bank_account,
        organisation_id=claim.organisation_id,
        district_id=claim.district_id,
    )


def _paid(claim, payment, actor) -> None:
    from haihe.subsidies.workflows import claim_workflow

    claim_workflow.apply(
        actor=None,  # the platform, on the bureau's recorded bank result
        obj=claim,
        name="mark_paid",
        channel="web",
        extra_updates={"paid_at": payment.result_at or clock.now()},
        data={"batch": payment.batch.number, "reference": payment.reference},
    )


KIND = register(
    PayableKind(
        key=PAYABLE_KIND,
        label=_("培训补贴"),
        model="subsidies.Claim",
        approved=_approved,
        payee=_payee,
        amount=lambda claim: claim.approved_amount,
        label_of=lambda claim: claim.number,
        on_paid=_paid,
        related=("organisation", "district"),
        url_of=lambda claim: reverse("subsidies:claim", args=[claim.pk]),
    )
)
