"""The subsidy rule: which outcomes a claim may include, and for how much.

`evaluate(outcomes, claim=..., today=...)` returns one `Decision` per outcome. Every reason names
its rule and, where a policy value decided it, the parameter (or catalogue row), its value and
the date it took effect. The rule reads the catalogue and the parameters in force on the
certificate's date, and counts the person's other subsidies in the certificate's calendar year.

It works on any number of outcomes with a fixed number of queries (a 500-line claim is checked
in one go), so a claim, a preview and the demo use the same code.
"""

import bisect
import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from haihe.policy.models import ParameterValue
from haihe.policy.rules import (
    MESSAGES,
    Decision,
    ParamValue,
    Reason,
    localise_labels,
    register_messages,
    register_source_labels,
)
from haihe.registry.models import SkillLevel
from haihe.training import eligibility

CENT = Decimal("0.01")
CATALOGUE_KEY = "subsidies.catalogue"
register_source_labels({CATALOGUE_KEY: _("补贴目录")})
DEFAULTS_KEY = "subsidies.default_amounts"
DEADLINE_KEY = "subsidies.claim_deadline_months"

# Claim states whose included lines count as a subsidy the person has (or is getting).
COUNTING_STATES = ("submitted", "district_approved", "returned", "approved", "paid")

register_messages(
    {
        "subsidies.class_not_filed": _("培训班未通过备案（状态：{status}），不能申领补贴。"),
        "subsidies.enrolment_not_completed": _("学员尚未结业（报名状态：{status}）。"),
        "subsidies.enrolment_refused": _(
            "学员报名时未通过资格审查，且未经市级审核员复核通过，不能申领补贴。"
        ),
        "subsidies.enrolment_ok": _("学员已结业，报名资格审查通过。"),
        "subsidies.enrolment_overridden": _(
            "学员已结业；报名时未通过资格审查，已由市级审核员复核通过：{override}"
        ),
        "subsidies.outcome_voided": _("该成果已作废。"),
        "subsidies.already_claimed": _(
            "该学员在本班的培训成果已在申领 {claim} 中申领，不能重复申领。"
        ),
        "subsidies.deadline_ok": _(
            "申领日期 {claimed_on} 未超过申领期限 {deadline}"
            "（发证日期 {issued_on} 后 {value} 个月）。"
        ),
        "subsidies.deadline_ok_first_filing": _(
            "首次提交日期 {claimed_on} 未超过申领期限 {deadline}"
            "（发证日期 {issued_on} 后 {value} 个月）；申领被退回后于 {today} 重新提交，"
            "期限按首次提交日期计算。"
        ),
        "subsidies.deadline_passed": _(
            "已超过申领期限：发证日期 {issued_on} 后 {value} 个月，最迟 {deadline} 申领；"
            "申领日期为 {claimed_on}。"
        ),
        "subsidies.same_level_twice": _(
            "同一职业同一等级只补贴一次：已在申领 {claim} 中申领 {occupation} {level}。"
        ),
        "subsidies.lower_after_higher": _(
            "已申领同一职业更高等级（{higher}）的补贴（申领 {claim}），不再补贴较低等级 {level}。"
        ),
        "subsidies.amount_catalogue": _(
            "补贴 {value} 元：补贴目录 {occupation} · {level} · {kind}，{effective_from} 起执行。"
        ),
        "subsidies.amount_default": _(
            "补贴 {value} 元：补贴目录中没有该职业的标准，按{kind} {level}默认标准，"
            "{effective_from} 起执行。"
        ),
        "subsidies.amount_zero": _("补贴标准为 0 元（{effective_from} 起执行），该成果不予补贴。"),
        "subsidies.amount_missing": _("{issued_on} 没有有效的补贴标准（{kind} {level}）。"),
    }
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def claim_deadline(issued_on: datetime.date, months: int) -> datetime.date:
    """The last day a claim for a certificate issued on `issued_on` may be made."""
    return add_months(issued_on, months)


class Timeline:
    """Every live value of one parameter, to read the one in force on any day without a query."""

    def __init__(self, key: str, region: str | None = None):
        region = region or settings.HAIHE_REGION_CODE
        rows = list(
            ParameterValue.objects.filter(
                parameter__key=key, region_code=region, voided_at__isnull=True
            )
            .order_by("effective_from", "created_at")
            .values("value", "effective_from", "source", "confirmed")
        )
        self.key = key
        self.days = [r["effective_from"] for r in rows]
        self.rows = rows

    def at(self, day: datetime.date) -> ParamValue | None:
        index = bisect.bisect_right(self.days, day) - 1
        if index < 0:
            return None
        row = self.rows[index]
        return ParamValue(
            self.key, row["value"], row["effective_from"], row["source"], row["confirmed"]
        )


class Catalogue:
    """The live catalogue rows of some occupations, by (occupation, level, kind), dated."""

    def __init__(self, occupation_ids: Iterable[int]):
        from haihe.subsidies.models import CatalogueEntry

        self.rows: dict[tuple, list] = defaultdict(list)
        for entry in (
            CatalogueEntry.objects.live()
            .filter(occupation_id__in=set(occupation_ids))
            .select_related("occupation")
            .order_by("effective_from", "created_at")
        ):
            self.rows[(entry.occupation_id, entry.level, entry.outcome_kind)].append(entry)
        self.defaults = Timeline(DEFAULTS_KEY)

    def price(self, occupation, level: int, kind: str, on: datetime.date) -> Reason:
        """The amount for an outcome issued on `on`, as a Reason that names its source."""
        entries = [
            e for e in self.rows.get((occupation.pk, level, kind), []) if e.effective_from <= on
        ]
        params = {"occupation": f"{occupation.code} {occupation.name_zh}", "level": level}
        params["kind"] = kind
        if entries:
            entry = entries[-1]
            amount = entry.amount.quantize(CENT)
            source = ParamValue(
                CATALOGUE_KEY, str(amount), entry.effective_from, entry.source, True
            )
            params.update(
                amount=str(amount), entry=entry.pk, effective_from=entry.effective_from.isoformat()
            )
            if amount <= 0:
                return Reason("subsidies.amount_zero", False, params, source)
            return Reason("subsidies.amount_catalogue", True, params, source)
        default = self.defaults.at(on)
        value = None
        if default is not None:
            value = (default.value or {}).get(kind, {}).get(str(level))
        if value is None:
            params["issued_on"] = on.isoformat()
            return Reason("subsidies.amount_missing", False, params)
        amount = Decimal(str(value)).quantize(CENT)
        source = ParamValue(
            DEFAULTS_KEY, str(amount), default.effective_from, default.source, default.confirmed
        )
        params.update(amount=str(amount), effective_from=default.effective_from.isoformat())
        if amount <= 0:
            return Reason("subsidies.amount_zero", False, params, source)
        return Reason("subsidies.amount_default", True, params, source)


def outcome_level(outcome) -> int:
    """A special-ability or completion certificate has no level: the class's level counts."""
    return outcome.level or outcome.enrolment.training_class.level


def evaluate(
    outcomes: list, *, claim=None, today: datetime.date, filed_on: dict | None = None
) -> dict[int, Decision]:
    """One Decision per outcome (by outcome id): may it be claimed on `today`, and for how much.
    `filed_on` gives, for outcomes already filed in an earlier round of the claim, the day they
    were first filed: their deadline is judged on that day (a return does not cost the deadline).

    `outcomes` must come with their enrolment and its class (with occupation) loaded."""
    from haihe.subsidies.models import ClaimLine, LineStatus

    if not outcomes:
        return {}
    person_ids = {o.enrolment.person_id for o in outcomes}
    others = ClaimLine.objects.filter(holds_outcome=True)
    if claim is not None and claim.pk is not None:
        others = others.exclude(claim_id=claim.pk)
    held = dict(
        others.filter(enrolment_id__in={o.enrolment_id for o in outcomes}).values_list(
            "enrolment_id", "claim__number"
        )
    )
    history: dict[int, list[dict]] = defaultdict(list)
    for row in others.filter(
        person_id__in=person_ids,
        status=LineStatus.INCLUDED,
        claim__status__in=COUNTING_STATES,
    ).values(
        "person_id",
        "claim__number",
        "outcome__issued_on",
        "outcome__level",
        "enrolment__training_class__occupation_id",
        "enrolment__training_class__level",
        "enrolment__training_class__start_date",
        "enrolment__training_class__end_date",
        "enrolment__training_class__occupation__code",
        "enrolment__training_class__occupation__name_zh",
    ):
        history[row["person_id"]].append(row)
    catalogue = Catalogue({o.enrolment.training_class.occupation_id for o in outcomes})
    deadlines = Timeline(DEADLINE_KEY)
    params = eligibility.Params()
    filed_on = filed_on or {}
    return {
        o.pk: _decide(
            o,
            held,
            history[o.enrolment.person_id],
            catalogue,
            deadlines,
            params,
            today,
            filed_on.get(o.pk),
        )
        for o in outcomes
    }


def _claimed_training(row: dict) -> eligibility.TrainingFacts:
    return eligibility.TrainingFacts(
        occupation_id=row["enrolment__training_class__occupation_id"],
        level=row["enrolment__training_class__level"],
        start_date=row["enrolment__training_class__start_date"],
        end_date=row["enrolment__training_class__end_date"],
        label=row["claim__number"],
        issued_on=row["outcome__issued_on"],
    )


def _decide(outcome, held, history, catalogue, deadlines, params, today, filed) -> Decision:
    enrolment = outcome.enrolment
    training_class = enrolment.training_class
    occupation = training_class.occupation
    level = outcome_level(outcome)
    reasons: list[Reason] = []
    if training_class.status != "approved":
        reasons.append(
            Reason("subsidies.class_not_filed", False, {"status": training_class.status})
        )
    if outcome.voided_at is not None:
        reasons.append(Reason("subsidies.outcome_voided", False))
    if enrolment.status != "completed":
        reasons.append(
            Reason("subsidies.enrolment_not_completed", False, {"status": enrolment.status})
        )
    elif enrolment.override_reason:
        reasons.append(
            Reason("subsidies.enrolment_overridden", True, {"override": enrolment.override_reason})
        )
    elif not enrolment.eligible:
        reasons.append(Reason("subsidies.enrolment_refused", False))
    else:
        reasons.append(Reason("subsidies.enrolment_ok", True))
    if outcome.enrolment_id in held:
        reasons.append(
            Reason("subsidies.already_claimed", False, {"claim": held[outcome.enrolment_id]})
        )
    months = deadlines.at(outcome.issued_on)
    if months is not None:
        deadline = claim_deadline(outcome.issued_on, int(months.value))
        claimed_on = today
        rule = "subsidies.deadline_ok"
        if filed is not None and filed < today and filed <= deadline:
            claimed_on, rule = filed, "subsidies.deadline_ok_first_filing"
        params_ = {
            "issued_on": outcome.issued_on.isoformat(),
            "deadline": deadline.isoformat(),
            "claimed_on": claimed_on.isoformat(),
            "today": today.isoformat(),
        }
        ok = claimed_on <= deadline
        reasons.append(Reason(rule if ok else "subsidies.deadline_passed", ok, params_, months))
    claimed = [_claimed_training(h) for h in history]
    this = eligibility.TrainingFacts.of(training_class, issued_on=outcome.issued_on)
    year_of = eligibility.counting_day  # the same basis as at enrolment
    basis = str(params.get(eligibility.YEAR_BASIS, training_class.start_date).value)
    same_year = sorted(
        {c.label for c in claimed if year_of(c, basis).year == year_of(this, basis).year}
    )
    reasons.append(
        eligibility.yearly_cap(this, claimed, params=params, listing="、".join(same_year))
    )
    for h in history:
        if h["enrolment__training_class__occupation_id"] != occupation.pk:
            continue
        other_level = h["outcome__level"] or h["enrolment__training_class__level"]
        if other_level == level:
            reasons.append(
                Reason(
                    "subsidies.same_level_twice",
                    False,
                    {
                        "claim": h["claim__number"],
                        "occupation": f"{occupation.code} {occupation.name_zh}",
                        "level": level,
                    },
                )
            )
            break
        if other_level < level and h["outcome__issued_on"] <= outcome.issued_on:  # 1 = highest
            reasons.append(
                Reason(
                    "subsidies.lower_after_higher",
                    False,
                    {"claim": h["claim__number"], "higher": other_level, "level": level},
                )
            )
            break
    price = catalogue.price(occupation, level, outcome.kind, outcome.issued_on)
    reasons.append(price)
    decision = Decision(tuple(reasons))
    amount = Decimal(price.params["amount"]) if decision.ok else Decimal("0.00")
    return Decision(tuple(reasons), amount)


def render_reason(data: dict) -> str:
    """A stored reason in the reader's current language (levels and kinds by their labels)."""
    from haihe.training.models import OutcomeKind

    template = MESSAGES.get(data.get("rule", ""))
    if template is None:
        return data.get("message") or data.get("rule", "")
    values = localise_labels(data.get("params") or {})
    values.setdefault("value", data.get("value"))
    for key in ("level", "higher"):
        if isinstance(values.get(key), int) and values[key] in SkillLevel.values:
            values[key] = SkillLevel(values[key]).label
    if values.get("kind") in OutcomeKind.values:
        values["kind"] = OutcomeKind(values["kind"]).label
    if "status" in values:
        values["status"] = _status_label(values["status"])
    try:
        return str(template).format(**values)
    except (KeyError, IndexError, ValueError):
        return str(template)


def _status_label(code: str) -> str:
    from haihe.training.models import ClassStatus, EnrolmentStatus

    for choices in (ClassStatus, EnrolmentStatus):
        if code in choices.values:
            return str(choices(code).label)
    return code


def explained(decision: dict) -> list[dict]:
    """The reasons of a stored decision, each with its message in the current language."""
    rows = []
    for reason in decision.get("reasons", []):
        row = dict(reason)
        row["message"] = render_reason(reason)
        rows.append(row)
    return rows
