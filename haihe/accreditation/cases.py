"""What accreditation registers with the shared mechanisms (in AppConfig.ready):

- an evidence case kind for applications (haihe.evidence): the files a call requires;
- a panel purpose per recognition kind (haihe.panels), its scheme the dated parameters under
  `panels.accreditation_<kind>`; the adapter names the applicant and, for a master studio, its
  leader, so that no conflicted expert scores the case;
- the notice kind of accreditation results (haihe.notices): final → the recognition is granted;
  an objection upheld or a withdrawn notice → back to the bureau's decision.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.accreditation import perms
from haihe.accreditation.models import Kind
from haihe.accreditation.workflows import purpose_key
from haihe.evidence.cases import CaseKind, register
from haihe.notices import kinds as notice_kinds
from haihe.panels.cases import CaseAdapter, Purpose, register_purpose

CASE_KIND = "accreditation_application"
EVIDENCE_KINDS = {
    "business_licence": gettext_lazy("营业执照或法人登记证书"),
    "premises": gettext_lazy("培训场地及设施设备证明"),
    "trainers": gettext_lazy("师资（考评人员）名册及资格证明"),
    "programme": gettext_lazy("培训计划与管理制度"),
    "leader_certificate": gettext_lazy("领办人职业技能等级证书或荣誉证明"),
    "assessment_rules": gettext_lazy("评价工作方案与质量管理制度"),
    "platform_report": gettext_lazy("平台功能与数据安全说明"),
    "other": gettext_lazy("其他材料"),
}


def _visible(user):
    from haihe.accreditation.models import Application

    return Application.objects.visible_to(user)


KIND = register(
    CaseKind(
        key=CASE_KIND,
        model="accreditation.Application",
        kinds=EVIDENCE_KINDS,
        visible=_visible,
        may_attach=perms.can_edit_application,
        url_of=lambda application: reverse("accreditation:application", args=[application.pk]),
        label_of=lambda application: application.number,
    )
)


class ApplicationCases(CaseAdapter):
    """An application scored by the kind's panel: the applicant is the case's organisation, a
    studio's leader its person (an expert tied to either has a conflict of interest)."""

    def label(self, application):
        return f"{application.number} {application.organisation.name}"

    def organisations(self, application):
        return [application.organisation]

    def people(self, application):
        return [application.leader] if application.leader_id else []

    def details(self, application, *, blind):
        rows = [
            (_("认定类别"), application.get_kind_display()),
            (_("专兼职培训师资人数"), str(application.trainers)),
            (_("培训场地面积（平方米）"), str(application.area)),
            (_("实训工位数"), str(application.workstations)),
        ]
        if application.scope:
            rows.append(
                (
                    _("申请范围"),
                    "、".join(f"{s['occupation']}/{s['level']}" for s in application.scope),
                )
            )
        if not blind:
            rows.insert(0, (_("所在区"), application.district.name))
            if application.leader_id:
                rows.append((_("工作室领办人"), application.leader.name))
        return rows


ADAPTER = ApplicationCases()
PURPOSES = {
    kind.value: register_purpose(
        Purpose(
            key=purpose_key(kind.value),
            label=kind.label,
            model="accreditation.Application",
            adapter=ADAPTER,
            parameters=f"panels.{purpose_key(kind.value)}",
        )
    )
    for kind in Kind
}


def _notice_closed(notice) -> None:
    from haihe.accreditation import services

    services.notice_closed(notice)


NOTICE_KIND = notice_kinds.register(
    notice_kinds.NoticeKind(
        "accreditation.result", gettext_lazy("认定结果公示"), on_closed=_notice_closed
    )
)
