"""The scoring rules: weighted totals, each aggregation rule (with hypothesis), the spread check
and the explanation each result carries."""

import datetime
import statistics
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from haihe.panels.rules import combine, evaluate, fmt, weighted_total
from haihe.panels.scheme import Scheme
from haihe.policy.rules import ParamValue

DAY = datetime.date(2020, 1, 1)
CRITERIA = [
    {"code": "a", "label_zh": "甲项", "label_en": "Item A", "weight": "0.6", "min": 0, "max": 100},
    {
        "code": "b",
        "label_zh": "乙项",
        "label_en": "Item B",
        "weight": "0.4",
        "min": 0,
        "max": 3,
        "spread": 1,
    },
]


def scheme(method="mean", trim=0, limit="10", criteria=CRITERIA, scorers=3) -> Scheme:
    def pv(name, value):
        return ParamValue(f"panels.t.{name}", value, DAY, "测试", True)

    return Scheme.from_values(
        {
            "criteria": pv("criteria", criteria),
            "aggregation": pv("aggregation", {"method": method, "trim": trim}),
            "spread_limit": pv("spread_limit", limit),
            "scorers_per_case": pv("scorers_per_case", scorers),
        }
    )


scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(scores, min_size=1, max_size=12))
def test_mean_is_the_arithmetic_mean_rounded_to_the_cent(values):
    result, rule = combine(values, "mean")
    assert rule == "mean"
    assert result == (sum(values) / len(values)).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    assert min(values) <= result <= max(values)


@given(st.lists(scores, min_size=1, max_size=12))
def test_median_is_the_middle_value(values):
    result, rule = combine(values, "median")
    assert rule == "median"
    assert result == Decimal(statistics.median(values)).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    below = sum(1 for v in values if v < result)
    above = sum(1 for v in values if v > result)
    assert below <= len(values) / 2 and above <= len(values) / 2


@given(st.lists(scores, min_size=3, max_size=12), st.integers(min_value=1, max_value=3))
def test_trimmed_mean_drops_the_extremes(values, trim):
    result, rule = combine(values, "trimmed_mean", trim)
    if len(values) <= 2 * trim:
        assert rule == "trimmed_fallback"
        assert result == combine(values, "mean")[0]
        return
    kept = sorted(values)[trim:-trim]
    assert rule == "trimmed_mean"
    assert result == (sum(kept) / len(kept)).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    # an outlier at either end does not move it
    assert combine([*values, Decimal(10**6)], "trimmed_mean", trim)[0] >= min(kept)


def test_trimmed_mean_worked_example():
    assert combine([Decimal(x) for x in ("90", "80", "70", "10")], "trimmed_mean", 1) == (
        Decimal("75.00"),
        "trimmed_mean",
    )
    assert combine([Decimal("90"), Decimal("10")], "trimmed_mean", 1) == (
        Decimal("50.00"),
        "trimmed_fallback",
    )


def test_unknown_method_and_no_values_are_errors():
    with pytest.raises(ValueError):
        combine([Decimal(1)], "mode")
    with pytest.raises(ValueError):
        combine([], "mean")


@given(st.decimals(0, 100, places=1), st.decimals(0, 3, places=1))
def test_weighted_total_is_the_sum_of_score_times_weight(a, b):
    total = weighted_total(scheme(), {"a": a, "b": b})
    assert total == (a * Decimal("0.6") + b * Decimal("0.4")).quantize(Decimal("0.01"))


def test_spread_within_the_limit_settles_with_the_score_and_explains_it():
    decision = evaluate(
        scheme(limit="10"), [{"a": 80, "b": 2}, {"a": 85, "b": 2}, {"a": 70, "b": 2}]
    )
    assert decision.ok and decision.amount == Decimal("47.80")  # totals 48.8 51.8 42.8
    rules = [r.rule for r in decision.reasons]
    assert rules == [
        "panels.weighted_total",
        "panels.aggregate.mean",
        "panels.spread_ok",
        "panels.criterion_spread_ok",
    ]
    aggregate = decision.reasons[1]
    assert aggregate.parameter.key == "panels.t.aggregation"
    assert aggregate.parameter.effective_from == DAY
    assert "47.8" in aggregate.message and "51.8、48.8、42.8" in aggregate.message
    spread = decision.reasons[2]
    assert spread.parameter.value == "10" and "相差 9 分" in spread.message


def test_spread_beyond_the_limit_sends_the_case_back():
    decision = evaluate(scheme(limit="5"), [{"a": 80, "b": 2}, {"a": 95, "b": 2}])
    assert not decision.ok and decision.amount is None
    refusal = decision.refusals[0]
    assert refusal.rule == "panels.spread_exceeded"
    assert "超过允许的 5 分" in refusal.message and "重新评分" in refusal.message


def test_a_criterion_with_its_own_spread_limit_is_checked_on_its_own():
    decision = evaluate(scheme(limit=None), [{"a": 80, "b": 0}, {"a": 80, "b": 2}])
    assert not decision.ok
    assert [r.rule for r in decision.refusals] == ["panels.criterion_spread_exceeded"]
    refusal = decision.refusals[0]
    assert refusal.parameter.key == "panels.t.criteria[b].spread"
    assert "乙项" in refusal.message
    with translation.override("en"):
        assert "Item B" in refusal.message and "乙项" not in refusal.message
    assert any(r.rule == "panels.spread_unlimited" for r in decision.reasons)


def test_the_method_is_the_parameter_s_choice():
    sheets = [{"a": 90, "b": 3}, {"a": 60, "b": 3}, {"a": 30, "b": 3}, {"a": 100, "b": 3}]
    mean = evaluate(scheme("mean", limit=None), sheets).amount
    median = evaluate(scheme("median", limit=None), sheets).amount
    trimmed = evaluate(scheme("trimmed_mean", 1, limit=None), sheets)
    assert (mean, median) == (Decimal("43.20"), Decimal("46.20"))  # 55.2 37.2 19.2 61.2
    assert trimmed.amount == Decimal("46.20") and trimmed.reasons[1].rule.endswith("trimmed_mean")
    skewed = [{"a": 90, "b": 3}, {"a": 85, "b": 3}, {"a": 10, "b": 3}]
    assert evaluate(scheme("mean", limit=None), skewed).amount == Decimal("38.20")
    assert evaluate(scheme("median", limit=None), skewed).amount == Decimal("52.20")


def test_stored_reasons_render_again_in_either_language():
    decision = evaluate(scheme(limit="10"), [{"a": 80, "b": 2}, {"a": 82, "b": 2}])
    from haihe.policy.rules import Reason

    stored = [Reason.from_dict(r) for r in decision.as_dict()["reasons"]]
    with translation.override("en"):
        messages = [r.message for r in stored]
    assert all(m and not any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages), messages


@pytest.mark.parametrize(
    "criteria, error",
    [
        ([], "非空"),
        ([{"code": "A", "weight": 1, "max": 10}], "代码"),
        ([{"code": "a", "weight": 0, "max": 10}], "权重"),
        ([{"code": "a", "weight": 1, "min": 10, "max": 10}], "范围"),
        ([{"code": "a", "weight": 1, "max": 10**6}], "范围"),
        ([{"code": "a", "weight": "x", "max": 10}], "不是数字"),
        ([{"code": "a", "weight": 1, "max": 10}, {"code": "a", "weight": 1, "max": 10}], "重复"),
    ],
)
def test_a_bad_scheme_is_refused_with_a_clear_message(criteria, error):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        scheme(criteria=criteria)
    assert error in " ".join(exc.value.messages)


def test_fmt_rounds_for_people():
    assert [fmt(Decimal(x)) for x in ("85.50", "90.00", "1661.80000", "0.005")] == [
        "85.5",
        "90",
        "1661.8",
        "0.01",
    ]
