"""Every eligibility rule at its edges; each decision names rule, parameter, value and date."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haihe.policy.models import Parameter, ParameterValue
from haihe.policy.rules import ParamValue
from haihe.training.eligibility import (
    Params,
    PersonFacts,
    TrainingFacts,
    check,
    decide_for,
)
from tests.factories import PersonFactory, make_ric
from tests.training.factories import EnrolmentFactory, TrainingClassFactory

D = datetime.date
VALID_RIC = "11010519491231002X"  # the checksum example of GB 11643


def fake_params(**overrides):
    values = {
        "training.min_working_age": 16,
        "training.retirement_age_male": 60,
        "training.retirement_age_female": 50,
        "training.max_subsidised_per_year": 3,
        "training.yearly_cap_basis": "class_start",
    }
    values.update(overrides)

    def lookup(key, *, on):
        return ParamValue(key, values[key], D(2019, 1, 1), "test")

    return Params(lookup)


BORN = D(1990, 3, 7)
JUNE = D(2020, 6, 1)


def person(birth=BORN, sex="M", ric=VALID_RIC):
    return PersonFacts(ric, birth, sex)


def training(start=JUNE, days=10, occupation=1, level=4, class_id=None, label="班"):
    return TrainingFacts(
        occupation, level, start, start + datetime.timedelta(days=days - 1), class_id, label
    )


def verdict(decision, rule_prefix):
    found = [r for r in decision.reasons if r.rule.startswith(rule_prefix)]
    assert len(found) == 1, decision.reasons
    return found[0]


def test_a_plain_case_is_eligible_and_every_rule_is_explained():
    decision = check(person(), training(), [], params=fake_params())
    assert decision.ok
    rules = [r.rule for r in decision.reasons]
    assert rules == [
        "training.ric_valid",
        "training.min_age",
        "training.retirement_age",
        "training.no_overlap",
        "training.max_per_year",
        "training.same_level_once",
        "training.no_lower_after_higher",
    ]
    limit = verdict(decision, "training.max_per_year").as_dict()
    assert limit["parameter"] == "training.max_subsidised_per_year"
    assert limit["value"] == 3
    assert limit["effective_from"] == "2019-01-01"
    assert "3" in limit["message"]


def test_an_invalid_ric_is_refused():
    decision = check(person(ric="110105194912310021"), training(), [], params=fake_params())
    assert not decision.ok
    assert verdict(decision, "training.ric_").rule == "training.ric_invalid"


@pytest.mark.parametrize(
    ("start", "ok"),
    [(D(2020, 5, 9), False), (D(2020, 5, 10), True)],
)
def test_minimum_age_is_reached_on_the_sixteenth_birthday(start, ok):
    decision = check(person(birth=D(2004, 5, 10)), training(start), [], params=fake_params())
    assert verdict(decision, "training.min_age").ok is ok


@pytest.mark.parametrize(
    ("sex", "birth", "start", "ok"),
    [
        ("M", D(1960, 5, 10), D(2020, 5, 9), True),  # the day before the 60th birthday
        ("M", D(1960, 5, 10), D(2020, 5, 10), False),  # the day retirement age is reached
        ("F", D(1970, 5, 10), D(2020, 5, 9), True),
        ("F", D(1970, 5, 10), D(2020, 5, 10), False),
    ],
)
def test_retirement_age_by_sex_counts_on_the_day_it_is_reached(sex, birth, start, ok):
    decision = check(person(birth=birth, sex=sex), training(start), [], params=fake_params())
    reason = verdict(decision, "training.retirement_age")
    assert reason.ok is ok
    expected = "training.retirement_age_male" if sex == "M" else "training.retirement_age_female"
    assert reason.parameter.key == expected


@pytest.mark.parametrize(
    ("other_end", "ok"),
    [(D(2020, 6, 1), False), (D(2020, 5, 31), True)],
)
def test_overlap_is_inclusive_of_the_first_and_last_day(other_end, ok):
    other = TrainingFacts(2, 3, D(2020, 5, 20), other_end, 99, "别的班")
    decision = check(person(), training(D(2020, 6, 1)), [other], params=fake_params())
    assert any(
        r.rule == ("training.no_overlap" if ok else "training.overlap") for r in decision.reasons
    )
    assert decision.ok is ok


def _year_of(n, year=2020):
    return [
        TrainingFacts(10 + i, 4, D(year, 1 + i, 1), D(year, 1 + i, 5), 100 + i, f"班{i}")
        for i in range(n)
    ]


def test_the_third_training_of_a_year_is_allowed_and_the_fourth_is_not():
    third = check(person(), training(D(2020, 6, 1)), _year_of(2), params=fake_params())
    fourth = check(person(), training(D(2020, 6, 1)), _year_of(3), params=fake_params())
    assert third.ok
    assert not fourth.ok
    assert [r.rule for r in fourth.refusals] == ["training.max_per_year"]
    params = fourth.refusals[0].params
    assert (params["year"], params["count"], params["basis"]) == (2020, 3, "class_start")


def test_trainings_of_another_year_do_not_count():
    decision = check(person(), training(D(2020, 6, 1)), _year_of(3, 2019), params=fake_params())
    assert decision.ok


@given(count=st.integers(min_value=0, max_value=8), limit=st.integers(min_value=1, max_value=6))
def test_the_yearly_limit_allows_exactly_fewer_than_limit_others(count, limit):
    decision = check(
        person(),
        training(D(2020, 12, 20)),
        _year_of(min(count, 11)),
        params=fake_params(**{"training.max_subsidised_per_year": limit}),
    )
    assert verdict(decision, "training.max_per_year").ok is (min(count, 11) < limit)


def test_the_same_occupation_and_level_only_once():
    earlier = TrainingFacts(1, 4, D(2019, 3, 1), D(2019, 3, 10), 7, "去年的班")
    decision = check(person(), training(occupation=1, level=4), [earlier], params=fake_params())
    assert [r.rule for r in decision.refusals] == ["training.same_level_repeated"]
    assert decision.refusals[0].params["other_class_id"] == 7
    other_occupation = check(
        person(), training(occupation=2, level=4), [earlier], params=fake_params()
    )
    assert other_occupation.ok


def test_no_lower_level_after_a_higher_one_but_a_higher_one_is_fine():
    higher = TrainingFacts(1, 3, D(2020, 3, 1), D(2020, 3, 10), 8, "三级班")
    lower = check(person(), training(occupation=1, level=4), [higher], params=fake_params())
    assert [r.rule for r in lower.refusals] == ["training.lower_after_higher"]
    assert lower.refusals[0].params["higher"] == 3
    step_up = check(person(), training(occupation=1, level=2), [higher], params=fake_params())
    assert step_up.ok


def test_a_higher_level_that_starts_later_does_not_block_an_earlier_lower_one():
    later_higher = TrainingFacts(1, 3, D(2020, 9, 1), D(2020, 9, 10), 8, "三级班")
    decision = check(
        person(), training(D(2020, 6, 1), level=4), [later_higher], params=fake_params()
    )
    assert decision.ok


def test_a_parameter_changed_mid_year_applies_from_its_date_only(reference_data):
    """The bureau lowers the yearly limit to 2 from 2020-07-01: a class starting 06-30 still
    has 3, one starting 07-01 has 2."""
    parameter = Parameter.objects.get(key="training.max_subsidised_per_year")
    ParameterValue.objects.create(
        parameter=parameter,
        region_code="120000",
        effective_from=D(2020, 7, 1),
        value=2,
        source="测试",
    )
    others = _year_of(2)
    before = check(person(), training(D(2020, 6, 30), days=1), others)
    on_the_day = check(person(), training(D(2020, 7, 1), days=1), others)
    assert before.ok
    assert not on_the_day.ok
    reason = verdict(on_the_day, "training.max_per_year").as_dict()
    assert reason["value"] == 2
    assert reason["effective_from"] == "2020-07-01"


def test_decide_for_reads_only_counting_enrolments(reference_data, heping):
    someone = PersonFactory(ric=make_ric(D(1990, 1, 1)), district=heping)
    base = D(2021, 3, 1)
    for i, status in enumerate(["enrolled", "completed", "refused", "withdrawn"]):
        EnrolmentFactory(
            person=someone,
            status=status,
            training_class=TrainingClassFactory(
                status="approved",
                start_date=base + datetime.timedelta(days=20 * i),
                end_date=base + datetime.timedelta(days=20 * i + 5),
                level=[5, 4, 3, 2][i],
            ),
        )
    target = TrainingClassFactory(
        status="approved", start_date=D(2021, 12, 1), end_date=D(2021, 12, 5), level=1
    )
    decision = decide_for(someone, target)
    limit = verdict(decision, "training.max_per_year")
    assert limit.params["count"] == 2  # refused and withdrawn do not count
    assert limit.ok


def test_a_stored_refusal_reads_in_either_language():
    from django.utils import translation

    from haihe.training.eligibility import explained, stored

    decision = check(person(), training(D(2020, 6, 1)), _year_of(3), params=fake_params())
    kept = stored(decision)
    assert "message" not in kept["reasons"][0]
    with translation.override("en"):
        [refusal] = [r for r in explained(kept)["reasons"] if not r["ok"]]
    assert refusal["message"] == (
        "Counted by the calendar year in which the class starts: "
        "3 subsidised training(s) in 2020; at most 3 a year."
    )
    with translation.override("zh-hans"):
        [refusal] = [r for r in explained(kept)["reasons"] if not r["ok"]]
    assert (
        refusal["message"]
        == "按培训班开班日期所在年度计，2020 年已参加补贴性培训 3 次；每年最多 3 次。"
    )
