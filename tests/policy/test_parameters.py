import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from haihe.core.models import AuditEvent
from haihe.policy import services
from haihe.policy.models import Parameter, ParameterValue
from haihe.policy.rules import Decision, ParameterMissing, Reason, param, register_messages
from tests.factories import bureau_admin, municipal_reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap(db):
    parameter = Parameter.objects.create(
        key="test.cap", label_zh="上限", label_en="Cap", unit="次", kind="int"
    )
    ParameterValue.objects.create(
        parameter=parameter,
        region_code="120000",
        effective_from=datetime.date(2020, 1, 1),
        value=3,
        source="文件甲",
    )
    return parameter


def test_value_in_force_on_the_day_of_the_fact(cap):
    services.value_add(
        actor=bureau_admin(),
        parameter=cap,
        effective_from=datetime.date(2020, 7, 1),
        raw_value="4",
        source="文件乙",
    )
    assert param("test.cap", on=datetime.date(2020, 6, 30)).value == 3
    changed = param("test.cap", on=datetime.date(2020, 7, 1))
    assert (changed.value, changed.effective_from, changed.source) == (
        4,
        datetime.date(2020, 7, 1),
        "文件乙",
    )
    with pytest.raises(ParameterMissing):
        param("test.cap", on=datetime.date(2019, 12, 31))
    with pytest.raises(ParameterMissing):
        param("test.cap", on=datetime.date(2020, 7, 1), region="310000")


def test_voided_value_no_longer_applies_and_stays_on_record(cap):
    admin = bureau_admin()
    row = services.value_add(
        actor=admin,
        parameter=cap,
        effective_from=datetime.date(2020, 7, 1),
        raw_value="9",
        source="误录",
    )
    services.value_void(actor=admin, value=row, reason="录入错误")
    assert param("test.cap", on=datetime.date(2020, 8, 1)).value == 3
    assert ParameterValue.objects.filter(parameter=cap).count() == 2
    assert list(
        AuditEvent.objects.filter(target_id=str(cap.pk)).values_list("action", flat=True)
    ) == ["parameter.value_voided", "parameter.value_added"]


def test_bad_values_and_clashes_are_refused(cap):
    admin = bureau_admin()
    for raw in ("", "三", "3.5"):
        with pytest.raises(ValidationError):
            services.value_add(
                actor=admin,
                parameter=cap,
                effective_from=datetime.date(2021, 1, 1),
                raw_value=raw,
                source="x",
            )
    with pytest.raises(ValidationError):
        services.value_add(
            actor=admin,
            parameter=cap,
            effective_from=datetime.date(2020, 1, 1),
            raw_value="5",
            source="x",
        )
    with pytest.raises(ValidationError):
        services.value_add(
            actor=admin,
            parameter=cap,
            effective_from=datetime.date(2021, 1, 1),
            raw_value="5",
            source=" ",
        )
    assert ParameterValue.objects.count() == 1


def test_only_the_bureau_admin_changes_parameters(cap, client):
    with pytest.raises(PermissionDenied):
        services.value_add(
            actor=municipal_reviewer(),
            parameter=cap,
            effective_from=datetime.date(2021, 1, 1),
            raw_value="5",
            source="x",
        )
    client.force_login(municipal_reviewer())
    page = client.get(reverse("policy:parameter", args=["test.cap"]))
    assert page.status_code == 200 and "新增取值" not in page.content.decode()
    client.force_login(bureau_admin())
    response = client.post(
        reverse("policy:parameter", args=["test.cap"]),
        {"effective_from": "2021-01-01", "value": "6", "source": "文件丙"},
    )
    assert response.status_code == 302
    assert param("test.cap", on=datetime.date(2021, 1, 2)).value == 6


def test_reasons_explain_themselves_in_both_languages(cap):
    register_messages({"test.cap": "每年最多 {value} 次，已有 {count} 次。"})
    value = param("test.cap", on=datetime.date(2020, 3, 1))
    reason = Reason("test.cap", ok=False, params={"count": 3}, parameter=value)
    decision = Decision((reason,))
    assert not decision.ok
    data = decision.as_dict()["reasons"][0]
    assert data["message"] == "每年最多 3 次，已有 3 次。"
    assert (data["parameter"], data["value"], data["effective_from"]) == (
        "test.cap",
        3,
        "2020-01-01",
    )
    assert Reason.from_dict(data) == reason


def test_shipped_parameter_files_load_idempotently(reference_data):
    from haihe.policy.loader import load_parameters

    before = ParameterValue.objects.count()
    assert before > 0
    assert load_parameters("120000") == 0
    assert ParameterValue.objects.count() == before
    with translation.override("en"):
        assert Parameter.objects.get(key="registry.graduate_window_years").label.startswith("Years")
