"""A training subsidy claim carries evidence (the shared haihe.evidence mechanism): the claiming
institution's users attach attendance sheets, invoices and other files while the claim is a
draft or returned (perms.can_edit_claim); everyone who may see the claim (its institution, the
district's reviewers, the bureau) sees the list and downloads the files."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haihe.evidence.cases import CaseKind, register
from haihe.subsidies import perms

CASE_KIND = "subsidy_claim"


def _visible(user):
    from haihe.subsidies.models import Claim

    return Claim.objects.visible_to(user)


KIND = register(
    CaseKind(
        key=CASE_KIND,
        model="subsidies.Claim",
        kinds={
            "attendance_sheet": _("培训签到表"),
            "invoice": _("发票"),
            "other": _("其他"),
        },
        visible=_visible,
        may_attach=perms.can_edit_claim,
        url_of=lambda claim: reverse("subsidies:claim", args=[claim.pk]),
        label_of=lambda claim: claim.number,
    )
)
