"""Who may take a subsidised training: the rules, pure, each decision explaining itself.

`check(person, training, others)` judges one person for one class against the person's other
subsidised trainings (`others`: enrolments that count, i.e. enrolled or completed). Every rule
reads its parameter in force on the class's start date, so a parameter changed mid-year applies
to classes starting from its effective date only. The subsidies module calls the same function at
claim time (see `decide_for`), so enrolment and claim judge by the same rules.

Rules (Reason.rule; a refusal has its own key so its message reads as a refusal):
- training.ric_valid / training.ric_invalid                 — valid Resident Identity Card
- training.min_age                                          — age >= training.min_working_age
- training.retirement_age                                   — age < retirement age (by sex)
- training.no_overlap / training.overlap                    — no overlapping subsidised class
- training.max_per_year                                     — < N subsidised trainings a year
- training.same_level_once / training.same_level_repeated    — occupation and level once
- training.no_lower_after_higher / training.lower_after_higher
"""

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from haihe.core.identifiers import mask_ric, validate_ric
from haihe.policy.rules import (
    Decision,
    ParamValue,
    Reason,
    param,
    register_labels,
    register_messages,
)

MIN_AGE = "training.min_working_age"
RETIREMENT_AGE = {"M": "training.retirement_age_male", "F": "training.retirement_age_female"}
MAX_PER_YEAR = "training.max_subsidised_per_year"
YEAR_BASIS = "training.yearly_cap_basis"
COMPLETION_THRESHOLD = "training.completion_threshold"
MAX_HOURS_PER_DAY = "training.max_hours_per_day"

COUNTING_STATUSES = ("enrolled", "completed")

register_messages(
    {
        "training.ric_valid": _("居民身份证号码 {ric} 有效。"),
        "training.ric_invalid": _("居民身份证号码 {ric} 无效。"),
        "training.min_age": _("开班日 {day} 年满 {age} 周岁；最低年龄为 {value} 周岁。"),
        "training.retirement_age": _(
            "开班日 {day} 年满 {age} 周岁；法定退休年龄为 {value} 周岁（达到即不再符合条件）。"
        ),
        "training.no_overlap": _("开班期间（{start} 至 {end}）未参加其他补贴性培训班。"),
        "training.overlap": _(
            "与另一补贴性培训班时间重叠：{other}（{other_start} 至 {other_end}）。"
        ),
        "training.max_per_year": _(
            "按{basis}计，{year} 年已参加补贴性培训 {count} 次；每年最多 {value} 次。"
        ),
        "training.same_level_once": _("此前未参加过该职业（工种）{level} 级的补贴性培训。"),
        "training.same_level_repeated": _(
            "已参加过该职业（工种）{level} 级的补贴性培训（{other}），同一职业同一等级只补贴一次。"
        ),
        "training.no_lower_after_higher": _("此前未参加过该职业（工种）更高等级的补贴性培训。"),
        "training.lower_after_higher": _(
            "已参加过该职业（工种）{higher} 级的补贴性培训（{other}），"
            "不能再参加较低的 {level} 级培训（1 级最高）。"
        ),
    }
)


@dataclass(frozen=True)
class PersonFacts:
    ric: str
    birth_date: datetime.date
    sex: str

    @classmethod
    def of(cls, person) -> "PersonFacts":
        return cls(person.ric, person.birth_date, person.sex)


@dataclass(frozen=True)
class TrainingFacts:
    """What the rules need to know of one class (and, for `others`, of one enrolment in it)."""

    occupation_id: int
    level: int
    start_date: datetime.date
    end_date: datetime.date
    class_id: int | None = None
    label: str = ""
    issued_on: datetime.date | None = None  # the certificate's date, once there is one

    @classmethod
    def of(cls, training_class, *, issued_on: datetime.date | None = None) -> "TrainingFacts":
        return cls(
            occupation_id=training_class.occupation_id,
            level=training_class.level,
            start_date=training_class.start_date,
            end_date=training_class.end_date,
            class_id=training_class.pk,
            label=str(training_class),
            issued_on=issued_on,
        )


class Params:
    """Parameter look-ups memoised per (key, day): a bulk check reads each value once."""

    def __init__(self, lookup: Callable[..., ParamValue] = param):
        self._lookup = lookup
        self._cache: dict[tuple[str, datetime.date], ParamValue] = {}

    def get(self, key: str, on: datetime.date) -> ParamValue:
        found = self._cache.get((key, on))
        if found is None:
            found = self._cache[(key, on)] = self._lookup(key, on=on)
        return found


@functools.lru_cache(maxsize=65536)
def ric_is_valid(ric: str) -> bool:
    try:
        validate_ric(ric)
    except ValidationError:
        return False
    return True


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def check(
    person: PersonFacts,
    training: TrainingFacts,
    others: Iterable[TrainingFacts],
    *,
    params: Params | None = None,
) -> Decision:
    """Every rule's verdict for `person` in `training`, given their other counting trainings."""
    params = params or Params()
    day = training.start_date
    others = [o for o in others if o.class_id is None or o.class_id != training.class_id]
    reasons: list[Reason] = []

    masked = mask_ric(person.ric)
    if ric_is_valid(person.ric):
        reasons.append(Reason("training.ric_valid", True, {"ric": masked}))
    else:
        reasons.append(Reason("training.ric_invalid", False, {"ric": masked}))

    age = age_on(person.birth_date, day)
    facts = {"day": day.isoformat(), "age": age}
    minimum = params.get(MIN_AGE, day)
    reasons.append(Reason("training.min_age", age >= int(minimum.value), facts, minimum))
    retirement = params.get(RETIREMENT_AGE.get(person.sex, RETIREMENT_AGE["M"]), day)
    reasons.append(
        Reason("training.retirement_age", age < int(retirement.value), facts, retirement)
    )

    overlap = next(
        (
            o
            for o in sorted(others, key=lambda o: o.start_date)
            if o.start_date <= training.end_date and training.start_date <= o.end_date
        ),
        None,
    )
    if overlap is None:
        reasons.append(
            Reason(
                "training.no_overlap",
                True,
                {"start": training.start_date.isoformat(), "end": training.end_date.isoformat()},
            )
        )
    else:
        reasons.append(
            Reason(
                "training.overlap",
                False,
                {
                    "other": overlap.label,
                    "other_class_id": overlap.class_id,
                    "other_start": overlap.start_date.isoformat(),
                    "other_end": overlap.end_date.isoformat(),
                },
            )
        )

    reasons.append(yearly_cap(training, others, params=params))

    same_occupation = [o for o in others if o.occupation_id == training.occupation_id]
    same_level = next((o for o in same_occupation if o.level == training.level), None)
    if same_level is None:
        reasons.append(Reason("training.same_level_once", True, {"level": training.level}))
    else:
        reasons.append(
            Reason(
                "training.same_level_repeated",
                False,
                {
                    "level": training.level,
                    "other": same_level.label,
                    "other_class_id": same_level.class_id,
                },
            )
        )

    higher = next(
        (
            o
            for o in sorted(same_occupation, key=lambda o: o.level)
            if o.level < training.level and o.start_date <= training.start_date
        ),
        None,
    )
    if higher is None:
        reasons.append(Reason("training.no_lower_after_higher", True, {"level": training.level}))
    else:
        reasons.append(
            Reason(
                "training.lower_after_higher",
                False,
                {
                    "level": training.level,
                    "higher": higher.level,
                    "other": higher.label,
                    "other_class_id": higher.class_id,
                },
            )
        )
    return Decision(tuple(reasons))


BASIS_LABELS = {
    "class_start": _("培训班开班日期所在年度"),
    "certificate": _("发证日期所在年度（尚无证书的按结业日期）"),
}
register_labels({"basis": BASIS_LABELS})


def counting_day(training: TrainingFacts, basis: str) -> datetime.date:
    """The day that places `training` in a calendar year for the yearly cap."""
    if basis == "certificate":
        return training.issued_on or training.end_date
    return training.start_date


def yearly_cap(
    training: TrainingFacts,
    others: Iterable[TrainingFacts],
    *,
    params: Params | None = None,
    listing: str = "",
) -> Reason:
    """At most N subsidised trainings a year — one rule, used at enrolment (others: the person's
    counting enrolments) and at claim (others: the trainings already claimed for them). Both
    sides count by the same dated basis (`training.yearly_cap_basis`: the class's start date or
    the certificate's date), read with the cap on the class's start date, so that a person an
    institution could enrol is never refused payment for a different count."""
    params = params or Params()
    basis = params.get(YEAR_BASIS, training.start_date)
    year = counting_day(training, str(basis.value)).year
    count = sum(1 for o in others if counting_day(o, str(basis.value)).year == year)
    limit = params.get(MAX_PER_YEAR, training.start_date)
    facts = {
        "year": year,
        "count": count,
        "basis": str(basis.value),
        "basis_effective_from": basis.effective_from.isoformat(),
    }
    if listing:
        facts["claims"] = listing
    return Reason("training.max_per_year", count < int(limit.value), facts, limit)


# Reading the history from the database -------------------------------------------------------


def histories(
    person_ids: Iterable[int], *, exclude_enrolment_ids: Iterable[int] = ()
) -> dict[int, list[TrainingFacts]]:
    """Each person's counting trainings (enrolled or completed), for `check`'s `others`."""
    from django.db.models import Min, Q

    from haihe.training.models import Enrolment

    rows = (
        Enrolment.objects.filter(person_id__in=list(person_ids), status__in=COUNTING_STATUSES)
        .exclude(pk__in=list(exclude_enrolment_ids))
        .annotate(issued_on=Min("outcomes__issued_on", filter=Q(outcomes__voided_at__isnull=True)))
        .select_related("training_class")
        .only(
            "person_id",
            "training_class__id",
            "training_class__name",
            "training_class__occupation_id",
            "training_class__level",
            "training_class__start_date",
            "training_class__end_date",
        )
    )
    found: dict[int, list[TrainingFacts]] = defaultdict(list)
    for row in rows.iterator(chunk_size=2000):
        found[row.person_id].append(TrainingFacts.of(row.training_class, issued_on=row.issued_on))
    return found


def decide_for(person, training_class, *, exclude_enrolment_id: int | None = None) -> Decision:
    """Judge `person` for `training_class` against what the database holds now.

    At claim time pass the claimed enrolment as `exclude_enrolment_id` so that it is not counted
    against itself."""
    excluded = [exclude_enrolment_id] if exclude_enrolment_id else []
    others = histories([person.pk], exclude_enrolment_ids=excluded).get(person.pk, [])
    return check(PersonFacts.of(person), TrainingFacts.of(training_class), others)


def refusal_text(decision: Decision) -> str:
    """The refusals of a decision as one line (for row errors and messages)."""
    return " ".join(r.message for r in decision.refusals)


def stored(decision: Decision) -> dict:
    """The decision as kept on an enrolment: rules, verdicts, facts and parameters, without the
    rendered messages (they are re-rendered in the reader's language by `explained`)."""
    reasons = []
    for reason in decision.reasons:
        item = {"rule": reason.rule, "ok": reason.ok, "params": reason.params}
        if reason.parameter is not None:
            item.update(
                parameter=reason.parameter.key,
                value=reason.parameter.value,
                effective_from=reason.parameter.effective_from.isoformat(),
                confirmed=reason.parameter.confirmed,
            )
        reasons.append(item)
    return {"ok": decision.ok, "reasons": reasons}


def explained(data: dict) -> dict:
    """A stored decision with every reason's message, in the current language."""
    return {
        "ok": bool(data.get("ok", True)),
        "reasons": [Reason.from_dict(r).as_dict() for r in data.get("reasons", [])],
    }
