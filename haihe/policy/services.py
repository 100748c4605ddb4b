"""The bureau changes policy values in the interface: a new value from a date, or a voided one."""

import datetime
import json

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haihe.core import clock
from haihe.core.audit import log_action
from haihe.policy import perms
from haihe.policy.models import Parameter, ParameterValue


def parse_value(parameter: Parameter, raw: str):
    raw = (raw or "").strip()
    try:
        if parameter.kind == "int":
            return int(raw)
        if parameter.kind == "decimal":
            from decimal import Decimal, InvalidOperation

            try:
                number = Decimal(raw)
            except InvalidOperation as exc:
                raise ValueError from exc
            if not number.is_finite():
                raise ValueError
            return str(number)
        if parameter.kind == "json":
            return json.loads(raw)
        if not raw:
            raise ValueError
        return raw
    except ValueError as exc:
        raise ValidationError({"value": _("取值格式不正确。")}) from exc


@transaction.atomic
def value_add(
    *,
    actor,
    parameter: Parameter,
    effective_from: datetime.date,
    raw_value: str,
    source: str,
    region: str | None = None,
) -> ParameterValue:
    if not perms.can_edit_parameters(actor):
        raise PermissionDenied(_("您无权修改政策参数。"))
    value = parse_value(parameter, raw_value)
    if not source.strip():
        raise ValidationError({"source": _("请填写依据（文件名称和文号）。")})
    region = region or settings.HAIHE_REGION_CODE
    clash = ParameterValue.objects.filter(
        parameter=parameter,
        region_code=region,
        effective_from=effective_from,
        voided_at__isnull=True,
    ).first()
    if clash is not None:
        raise ValidationError(
            {"effective_from": _("该生效日期已有取值；如有错误，请先作废原取值。")}
        )
    row = ParameterValue.objects.create(
        parameter=parameter,
        region_code=region,
        effective_from=effective_from,
        value=value,
        source=source.strip(),
        created_by=actor,
    )
    log_action(
        actor=actor,
        action="parameter.value_added",
        target=parameter,
        data={"value": value, "effective_from": effective_from, "region": region, "source": source},
    )
    return row


@transaction.atomic
def value_void(*, actor, value: ParameterValue, reason: str) -> ParameterValue:
    if not perms.can_edit_parameters(actor):
        raise PermissionDenied(_("您无权修改政策参数。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写理由。")})
    if value.voided_at is not None:
        raise ValidationError(_("该取值已作废。"))
    value.voided_at = clock.now()
    value.void_reason = reason.strip()
    value.save(update_fields=["voided_at", "void_reason"])
    log_action(
        actor=actor,
        action="parameter.value_voided",
        target=value.parameter,
        data={"value": value.value, "effective_from": value.effective_from, "reason": reason},
    )
    return value
