"""What a decision's explanation shows to whom: plain words, the parameter's name, value and date
for everyone; rule codes, parameter keys, sources and "unconfirmed" for the bureau's staff only."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from haihe.policy.rules import ParamValue, Reason
from tests.factories import PersonFactory, bureau_admin, district_reviewer, worker

pytestmark = pytest.mark.django_db

CAP = Reason(
    "training.max_per_year",
    False,
    {"year": 2020, "count": 3, "basis": "class_start", "basis_effective_from": "2019-01-01"},
    ParamValue(
        "training.max_subsidised_per_year", 3, datetime.date(2019, 1, 1), "浙江、深圳规定", False
    ),
)


def _render(user, reasons):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load policy_tags %}{% explain reasons %}").render(
        Context({"request": request, "reasons": reasons})
    )


def test_a_worker_reads_words_the_parameters_name_value_and_date(reference_data):
    html = _render(worker(PersonFactory()), [CAP])
    assert "每人每年享受培训补贴次数上限 3 次" in html and "2019-01-01 起执行" in html
    assert "按培训班开班日期所在年度计" in html
    for bureau_only in (
        "training.max_subsidised_per_year",
        "training.max_per_year",
        "浙江",
        "未经核实",
    ):
        assert bureau_only not in html.replace('data-rule="training.max_per_year"', "")


def test_the_bureaus_staff_also_see_codes_keys_sources_and_unconfirmed(reference_data, districts):
    for user in (bureau_admin(), district_reviewer(districts["120101"])):
        html = _render(user, [CAP])
        assert "<code>training.max_subsidised_per_year</code>" in html
        assert "浙江、深圳规定" in html and "未经核实的合理默认值" in html


def test_the_explanation_reads_in_english_with_the_parameters_english_name(reference_data):
    with translation.override("en"):
        html = _render(worker(PersonFactory()), [CAP.as_dict()])
    assert "Subsidised trainings per person per calendar year (maximum)" in html
    assert "the calendar year in which the class starts" in html
    assert "每" not in html and "依据" not in html


def test_every_shipped_parameter_unit_has_words():
    """A unit is a code (stored); each shipped one is shown in the reader's words."""
    from pathlib import Path

    import yaml

    from haihe.policy.templatetags.policy_tags import UNITS

    folder = Path(__file__).resolve().parents[2] / "haihe" / "policy" / "parameters"
    units = {
        spec.get("unit", "")
        for path in folder.glob("*.yaml")
        for spec in yaml.safe_load(path.read_text(encoding="utf-8")).values()
    }
    assert units - {""} - set(UNITS) == set()
