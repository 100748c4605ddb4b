"""Scoring rules: a scorer's weighted total, how totals combine into the case's score (mean,
trimmed mean, median, as the scheme's dated parameter says), and the spread check that sends a
case back when scorers disagree beyond the limit. Pure functions: `evaluate` returns a
`Decision` whose amount is the case's score (None when the case goes back), with a reason for
every step naming the parameter, its value and the date it took effect.
"""

import statistics
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from haihe.panels.scheme import Scheme
from haihe.policy.rules import Decision, ParamValue, Reason, register_messages

CENT = Decimal("0.01")

register_messages(
    {
        "panels.weighted_total": _(
            # xgettext: no-python-brace-format
            "每位专家的加权总分 = {formula_zh}（评分项及权重 {effective_from} 起执行）。"
        ),
        "panels.aggregate.mean": _(
            # xgettext: no-python-brace-format
            "综合得分 {result} 分：{n} 位专家的加权总分（{scores}）取算术平均"
            "（计分方法 {effective_from} 起执行）。"
        ),
        "panels.aggregate.median": _(
            # xgettext: no-python-brace-format
            "综合得分 {result} 分：{n} 位专家的加权总分（{scores}）取中位数"
            "（计分方法 {effective_from} 起执行）。"
        ),
        "panels.aggregate.trimmed_mean": _(
            # xgettext: no-python-brace-format
            "综合得分 {result} 分：{n} 位专家的加权总分（{scores}）去掉最高分和最低分各 {trim} 个"
            "后取平均（计分方法 {effective_from} 起执行）。"
        ),
        "panels.aggregate.trimmed_fallback": _(
            # xgettext: no-python-brace-format
            "综合得分 {result} 分：只有 {n} 位专家评分（{scores}），不足以去掉最高分和最低分各"
            " {trim} 个，按算术平均计算（计分方法 {effective_from} 起执行）。"
        ),
        "panels.spread_ok": _(
            "各专家加权总分最高 {highest} 分、最低 {lowest} 分，相差 {spread} 分，"
            "未超过允许的 {value} 分（{effective_from} 起执行）。"
        ),
        "panels.spread_exceeded": _(
            "各专家加权总分最高 {highest} 分、最低 {lowest} 分，相差 {spread} 分，"
            "超过允许的 {value} 分（{effective_from} 起执行），退回各专家讨论后重新评分。"
        ),
        "panels.spread_unlimited": _("评分办法未规定加权总分的分差上限。"),
        "panels.criterion_spread_ok": _(
            # xgettext: no-python-brace-format
            "“{criterion_zh}”一项各专家评分最高 {highest}、最低 {lowest}，相差 {spread}，"
            "未超过允许的 {value}（{effective_from} 起执行）。"
        ),
        "panels.criterion_spread_exceeded": _(
            # xgettext: no-python-brace-format
            "“{criterion_zh}”一项各专家评分最高 {highest}、最低 {lowest}，相差 {spread}，"
            "超过允许的 {value}（{effective_from} 起执行），退回各专家讨论后重新评分。"
        ),
    }
)


def fmt(value: Decimal) -> str:
    """A score for people: at most two decimals, no trailing zeros ("85.5", "90")."""
    value = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def weighted_total(scheme: Scheme, values: dict[str, Decimal]) -> Decimal:
    """Σ score × weight over the scheme's criteria, rounded to the cent."""
    total = sum((c.weight * Decimal(values[c.code]) for c in scheme.criteria), Decimal(0))
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def combine(values: list[Decimal], method: str, trim: int = 0) -> tuple[Decimal, str]:
    """The combined score and the rule that produced it (trimmed_mean falls back to the mean
    when there are not more than 2 × trim values)."""
    if not values:
        raise ValueError("no values to combine")
    values = [Decimal(v) for v in values]
    if method == "median":
        result, rule = Decimal(statistics.median(sorted(values))), "median"
    elif method == "trimmed_mean" and len(values) > 2 * trim:
        kept = sorted(values)[trim : len(values) - trim]
        result, rule = sum(kept, Decimal(0)) / len(kept), "trimmed_mean"
    elif method == "trimmed_mean":
        result, rule = sum(values, Decimal(0)) / len(values), "trimmed_fallback"
    elif method == "mean":
        result, rule = sum(values, Decimal(0)) / len(values), "mean"
    else:
        raise ValueError(f"unknown method {method!r}")
    return result.quantize(CENT, rounding=ROUND_HALF_UP), rule


def _dated(parameter: ParamValue) -> dict:
    return {"effective_from": parameter.effective_from.isoformat()}


def _formula(scheme: Scheme, english: bool) -> str:
    return " + ".join(
        f"{(c.label_en if english else c.label_zh)} × {fmt(c.weight)}" for c in scheme.criteria
    )


def _criterion_param(scheme: Scheme, code: str, limit: Decimal) -> ParamValue:
    base = scheme.params["criteria"]
    return ParamValue(
        f"{base.key}[{code}].spread", fmt(limit), base.effective_from, base.source, base.confirmed
    )


def evaluate(scheme: Scheme, sheets: list[dict[str, Decimal]]) -> Decision:
    """Combine the scorers' sheets (criterion code -> score) of one round of one case."""
    if not sheets:
        raise ValueError("no sheets to evaluate")
    criteria = scheme.params["criteria"]
    totals = [weighted_total(scheme, sheet) for sheet in sheets]
    reasons = [
        Reason(
            "panels.weighted_total",
            True,
            {
                "formula_zh": _formula(scheme, english=False),
                "formula_en": _formula(scheme, english=True),
                **_dated(criteria),
            },
            criteria,
        )
    ]
    aggregation = scheme.params["aggregation"]
    score, rule = combine(totals, scheme.method, scheme.trim)
    reasons.append(
        Reason(
            f"panels.aggregate.{rule}",
            True,
            {
                "result": fmt(score),
                "n": len(totals),
                "scores": "、".join(fmt(t) for t in sorted(totals, reverse=True)),
                "scores_en": ", ".join(fmt(t) for t in sorted(totals, reverse=True)),
                "trim": scheme.trim,
                **_dated(aggregation),
            },
            aggregation,
        )
    )
    limit_param = scheme.params["spread_limit"]
    highest, lowest = max(totals), min(totals)
    if scheme.spread_limit is None:
        reasons.append(Reason("panels.spread_unlimited", True, {}, limit_param))
    else:
        spread = highest - lowest
        ok = spread <= scheme.spread_limit
        reasons.append(
            Reason(
                "panels.spread_ok" if ok else "panels.spread_exceeded",
                ok,
                {
                    "highest": fmt(highest),
                    "lowest": fmt(lowest),
                    "spread": fmt(spread),
                    **_dated(limit_param),
                },
                limit_param,
            )
        )
    for criterion in scheme.criteria:
        if criterion.spread is None:
            continue
        marks = [Decimal(sheet[criterion.code]) for sheet in sheets]
        spread = max(marks) - min(marks)
        ok = spread <= criterion.spread
        reasons.append(
            Reason(
                "panels.criterion_spread_ok" if ok else "panels.criterion_spread_exceeded",
                ok,
                {
                    "criterion": criterion.code,
                    "criterion_zh": criterion.label_zh,
                    "criterion_en": criterion.label_en,
                    "highest": fmt(max(marks)),
                    "lowest": fmt(min(marks)),
                    "spread": fmt(spread),
                    **_dated(criteria),
                },
                _criterion_param(scheme, criterion.code, criterion.spread),
            )
        )
    decision = Decision(tuple(reasons))
    return Decision(decision.reasons, amount=score if decision.ok else None)


def spread_of(totals: list[Decimal]) -> Decimal:
    return (max(totals) - min(totals)) if totals else Decimal(0)
