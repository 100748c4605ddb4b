"""Technical schools' cases carry evidence (the shared haihe.evidence mechanism): a major
application its programme plan (专业人才培养方案), a cooperation agreement the agreement both
parties signed (PDF only: parameter evidence.media_types). The school's users attach while the
case is a draft or returned; everyone who may see the case downloads the files."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haihe.evidence.cases import CaseKind, register
from haihe.schools import perms

MAJOR_CASE = "school_major"
AGREEMENT_CASE = "school_agreement"


def _majors(user):
    from haihe.schools.models import Major

    return Major.objects.visible_to(user)


def _agreements(user):
    from haihe.schools.models import Agreement

    return Agreement.objects.visible_to(user)


register(
    CaseKind(
        key=MAJOR_CASE,
        model="schools.Major",
        kinds={
            "programme_plan": _("专业人才培养方案"),
            "feasibility": _("可行性论证报告"),
            "other": _("其他"),
        },
        visible=_majors,
        may_attach=perms.can_edit,
        url_of=lambda major: reverse("schools:major", args=[major.pk]),
        label_of=lambda major: major.number,
    )
)
register(
    CaseKind(
        key=AGREEMENT_CASE,
        model="schools.Agreement",
        kinds={"signed_agreement": _("双方签署的合作协议"), "other": _("其他")},
        visible=_agreements,
        may_attach=perms.can_edit,
        url_of=lambda agreement: reverse("schools:agreement", args=[agreement.pk]),
        label_of=lambda agreement: agreement.number,
    )
)
