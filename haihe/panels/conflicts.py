"""Conflicts of interest between an expert and a case.

Detected from the registry's affiliations (within a look-back window, a dated parameter) and
from declarations:

- **self**: the expert is one of the case's people;
- **employer**: the expert's declared employer, or an employee affiliation of theirs, is one of
  the case's organisations;
- **affiliated**: any other tie of the expert to one of the case's organisations (trainee,
  student, registered);
- **colleague**: the expert and one of the case's people work for the same organisation;
- **trainer**: the expert works for an organisation that trains or taught one of the case's
  people (trainee or student there), or the other way round;
- **declared**: the expert declared a conflict with the case, one of its organisations or one of
  its people (or the bureau recorded it);
- **other**: what the case adapter adds for its own module (e.g. master and apprentice).

`find_conflicts` checks many experts against many cases with a fixed number of queries (the
random assignment uses it); `conflicts_of` checks one pair. Each conflict carries a Reason in
words for the bureau, and a kind whose label is all a scorer of a blind panel is shown.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from haihe.core import clock
from haihe.panels.cases import purpose_for
from haihe.panels.models import ConflictDeclaration, Expert, PanelCase
from haihe.policy.rules import ParamValue, Reason, param, register_messages
from haihe.registry.models import Affiliation, Relation

LOOKBACK_KEY = "panels.conflict_lookback_years"
LEARNERS = (Relation.TRAINEE, Relation.STUDENT)

KIND_LABELS = {
    "self": _("本人是当事人"),
    "employer": _("任职单位"),
    "affiliated": _("同一单位"),
    "colleague": _("同事关系"),
    "trainer": _("培训关系"),
    "declared": _("本人申报"),
    "other": _("其他关系"),
}

register_messages(
    {
        "panels.conflict.self": _("专家本人是该案卷的当事人。"),
        "panels.conflict.declared_employer": _(
            "专家申报的工作单位“{organisation}”是该案卷的单位。"
        ),
        "panels.conflict.organisation": _(
            # xgettext: no-python-brace-format
            "专家是该案卷的单位“{organisation}”的{relation_zh}（{since} 起）。"
        ),
        "panels.conflict.organisation_past": _(
            # xgettext: no-python-brace-format
            "专家曾是该案卷的单位“{organisation}”的{relation_zh}（{since} 至 {until}），"
            "离开未满 {value} 年（{effective_from} 起执行）。"
        ),
        "panels.conflict.colleague": _("专家与该案卷人员{person}同为“{organisation}”的职工。"),
        "panels.conflict.trainer": _(
            # xgettext: no-python-brace-format
            "专家任职的“{organisation}”培训过该案卷人员{person}（{relation_zh}）。"
        ),
        "panels.conflict.trained_by": _("该案卷人员{person}任职的“{organisation}”培训过专家。"),
        "panels.conflict.declared_case": _("已申报与该案卷存在利益冲突：{reason}"),
        "panels.conflict.declared_organisation": _(
            "已申报与单位“{organisation}”存在利益冲突：{reason}"
        ),
        "panels.conflict.declared_person": _("已申报与人员{person}存在利益冲突：{reason}"),
    }
)


@dataclass(frozen=True)
class Conflict:
    kind: str
    reason: Reason

    @property
    def label(self) -> str:
        """The kind only: what a scorer of a blind panel may be told."""
        return str(KIND_LABELS[self.kind])

    @property
    def message(self) -> str:
        return self.reason.message


@dataclass
class Parties:
    organisations: dict[int, object]
    people: dict[int, object]


def parties_of(case: PanelCase) -> Parties:
    """The organisations and people of a case, as its purpose's adapter names them."""
    adapter = purpose_for(case.panel.purpose).adapter
    target = case.target
    if target is None:
        return Parties({}, {})
    return Parties(
        {o.pk: o for o in adapter.organisations(target)},
        {p.pk: p for p in adapter.people(target)},
    )


def _cutoff(on: datetime.date, years: int) -> datetime.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def _relation_params(affiliation) -> dict:
    from django.utils import translation

    label = Relation(affiliation.relation).label
    with translation.override("zh-hans"):
        zh = str(label)
    with translation.override("en"):
        en = str(label)
    return {"relation": affiliation.relation, "relation_zh": zh, "relation_en": en}


def _organisation_conflict(affiliation, on, lookback: ParamValue) -> Conflict:
    kind = "employer" if affiliation.relation == Relation.EMPLOYEE else "affiliated"
    params = {
        "organisation": affiliation.organisation.name,
        "organisation_id": affiliation.organisation_id,
        "since": affiliation.since.isoformat(),
        **_relation_params(affiliation),
    }
    if affiliation.until is not None and affiliation.until < on:
        params.update(
            until=affiliation.until.isoformat(),
            effective_from=lookback.effective_from.isoformat(),
        )
        return Conflict(kind, Reason("panels.conflict.organisation_past", False, params, lookback))
    return Conflict(kind, Reason("panels.conflict.organisation", False, params, lookback))


def find_conflicts(
    experts: list[Expert], cases: list[PanelCase], *, on: datetime.date | None = None
) -> dict[tuple[int, int], list[Conflict]]:
    """Every conflict of every (expert, case) pair that has one, keyed by their ids."""
    on = on or clock.today()
    lookback = param(LOOKBACK_KEY, on=on)
    cutoff = _cutoff(on, int(lookback.value))
    parties = {case.pk: parties_of(case) for case in cases}
    people = {e.person_id for e in experts}
    for p in parties.values():
        people |= set(p.people)
    ties: dict[int, list] = defaultdict(list)
    for affiliation in (
        Affiliation.objects.filter(person_id__in=people, since__lte=on)
        .exclude(until__lt=cutoff)
        .select_related("organisation")
    ):
        ties[affiliation.person_id].append(affiliation)
    declarations: dict[int, list] = defaultdict(list)
    for declaration in (
        ConflictDeclaration.objects.live()
        .filter(expert__in=[e.pk for e in experts])
        .select_related("organisation", "person")
    ):
        declarations[declaration.expert_id].append(declaration)
    found: dict[tuple[int, int], list[Conflict]] = {}
    for expert in experts:
        for case in cases:
            conflicts = _pair(expert, case, parties[case.pk], ties, declarations, on, lookback)
            if conflicts:
                found[(expert.pk, case.pk)] = conflicts
    return found


def conflicts_of(expert: Expert, case: PanelCase, *, on: datetime.date | None = None):
    return find_conflicts([expert], [case], on=on).get((expert.pk, case.pk), [])


def _pair(expert, case, parties: Parties, ties, declarations, on, lookback) -> list[Conflict]:
    conflicts: list[Conflict] = []
    me = expert.person_id
    if me in parties.people:
        conflicts.append(Conflict("self", Reason("panels.conflict.self", False, {})))
    if expert.employer_id in parties.organisations:
        organisation = parties.organisations[expert.employer_id]
        conflicts.append(
            Conflict(
                "employer",
                Reason(
                    "panels.conflict.declared_employer",
                    False,
                    {"organisation": organisation.name, "organisation_id": organisation.pk},
                ),
            )
        )
    workplaces = {expert.employer_id} - {None}
    schools = set()
    for affiliation in ties.get(me, []):
        if affiliation.organisation_id in parties.organisations:
            conflicts.append(_organisation_conflict(affiliation, on, lookback))
        if affiliation.relation == Relation.EMPLOYEE:
            workplaces.add(affiliation.organisation_id)
        elif affiliation.relation in LEARNERS:
            schools.add(affiliation.organisation_id)
    for person_id, person in parties.people.items():
        if person_id == me:
            continue
        for affiliation in ties.get(person_id, []):
            params = {
                "person": person.name,
                "person_id": person_id,
                "organisation": affiliation.organisation.name,
                "organisation_id": affiliation.organisation_id,
                **_relation_params(affiliation),
            }
            if affiliation.organisation_id in workplaces:
                if affiliation.relation == Relation.EMPLOYEE:
                    reason = Reason("panels.conflict.colleague", False, params, lookback)
                    conflicts.append(Conflict("colleague", reason))
                elif affiliation.relation in LEARNERS:
                    reason = Reason("panels.conflict.trainer", False, params, lookback)
                    conflicts.append(Conflict("trainer", reason))
            if affiliation.organisation_id in schools and affiliation.relation == Relation.EMPLOYEE:
                reason = Reason("panels.conflict.trained_by", False, params, lookback)
                conflicts.append(Conflict("trainer", reason))
    for declaration in declarations.get(expert.pk, []):
        reason = None
        if declaration.case_id == case.pk:
            reason = Reason("panels.conflict.declared_case", False, {"reason": declaration.reason})
        elif declaration.organisation_id in parties.organisations:
            reason = Reason(
                "panels.conflict.declared_organisation",
                False,
                {"organisation": declaration.organisation.name, "reason": declaration.reason},
            )
        elif declaration.person_id in parties.people:
            reason = Reason(
                "panels.conflict.declared_person",
                False,
                {"person": declaration.person.name, "reason": declaration.reason},
            )
        if reason is not None:
            conflicts.append(Conflict("declared", reason))
    target = case.target
    if target is not None:
        adapter = purpose_for(case.panel.purpose).adapter
        for reason in adapter.extra_conflicts(target, expert, on):
            conflicts.append(Conflict("other", reason))
    return conflicts
