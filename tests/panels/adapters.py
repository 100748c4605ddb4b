"""The first users of the panel mechanism: test purposes that score registry Organisations (as an
accreditation review would) and registry People (as a competition or a certification would).
They show how a module registers a case adapter; the programme modules come later."""

from django.utils.translation import gettext_lazy as _

from haihe.panels.cases import CaseAdapter, Purpose, register_purpose
from haihe.policy.rules import Reason
from haihe.registry.models import Affiliation, Relation

# (expert person id, case object pk) pairs a test marks as a module-specific conflict
EXTRA: set[tuple[int, int]] = set()


class OrganisationCases(CaseAdapter):
    """An organisation applying for recognition: the case is the organisation itself."""

    def label(self, obj):
        return obj.name

    def organisations(self, obj):
        return [obj]

    def details(self, obj, *, blind):
        if blind:
            return [("规模", obj.get_size_class_display())]
        return [("所在区", obj.district.name), ("统一社会信用代码", obj.uscc)]

    def extra_conflicts(self, obj, expert, on):
        if (expert.person_id, obj.pk) in EXTRA:
            return [Reason("panels.conflict.declared_case", False, {"reason": "师徒关系"})]
        return []


class PersonCases(CaseAdapter):
    """A person competing or being assessed: their employers are the case's organisations."""

    def label(self, obj):
        return obj.name

    def organisations(self, obj):
        return [
            a.organisation
            for a in Affiliation.objects.filter(
                person=obj, relation=Relation.EMPLOYEE
            ).select_related("organisation")
        ]

    def people(self, obj):
        return [obj]

    def blind_label(self, obj, code):
        return f"选手 {code}"


ORG_REVIEW = register_purpose(
    Purpose(
        key="test_org_review",
        label=_("认定评审"),
        model="registry.Organisation",
        adapter=OrganisationCases(),
        parameters="panels.accreditation_review",
    )
)
PERSON_REVIEW = register_purpose(
    Purpose(
        key="test_person_review",
        label=_("认定评审"),
        model="registry.Person",
        adapter=PersonCases(),
        parameters="panels.accreditation_review",
    )
)
