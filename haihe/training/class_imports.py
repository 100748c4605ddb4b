"""Bulk class filing (.xlsx / .csv) at /imports/training-classes/, all or nothing.

Every row goes through the same validation as the form and the API (services.validate_class,
then services.class_file), so a row with 1e10 planned hours or an unknown mode is a bad row
naming its column, and nothing of the file is filed."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.core.imports import Importer, register
from haihe.core.tabular import Column, ParsedTable, RowError
from haihe.registry.models import District, Occupation, Organisation
from haihe.training import perms, services
from haihe.training.imports import _date, _int
from haihe.training.models import Mode


def _decimal(value: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValidationError(_("应为数字。")) from exc
    if not number.is_finite():
        raise ValidationError(_("应为数字。"))
    return number


def _mode(value: str) -> str:
    value = value.strip()
    for code, label in Mode.choices:
        if value.lower() == code or value == str(label):
            return code
    raise ValidationError(
        _("应为以下之一：%(choices)s。")
        % {"choices": "、".join(str(label) for _c, label in Mode.choices)}
    )


CLASS_COLUMNS = [
    Column("name", gettext_lazy("班级名称"), str.strip, required=False, example="数控车工四级班"),
    Column("occupation", gettext_lazy("职业编码"), str.strip, example="6-18-01-01"),
    Column("level", gettext_lazy("培训等级"), _int, example="4"),
    Column("mode", gettext_lazy("培训方式"), _mode, example="线下"),
    Column("platform", gettext_lazy("线上培训平台统一社会信用代码"), str.strip, required=False),
    Column("planned_theory_hours", gettext_lazy("计划理论课时"), _decimal, example="40"),
    Column("planned_practice_hours", gettext_lazy("计划实操课时"), _decimal, example="80"),
    Column("start_date", gettext_lazy("开班日期"), _date, example="2020-11-30"),
    Column("end_date", gettext_lazy("结业日期"), _date, example="2020-12-25"),
    Column("district", gettext_lazy("培训地点所在区"), str.strip, example="120101"),
    Column("venue", gettext_lazy("培训地点"), str.strip, required=False),
    Column("teachers", gettext_lazy("授课教师"), str.strip, required=False),
    Column("capacity", gettext_lazy("计划人数"), _int, example="40"),
]
LABEL = {c.key: str(c.label) for c in CLASS_COLUMNS}
VALUES = (
    "name",
    "level",
    "mode",
    "planned_theory_hours",
    "planned_practice_hours",
    "start_date",
    "end_date",
    "venue",
    "teachers",
    "capacity",
)


def _plan(parsed: ParsedTable) -> tuple[list[RowError], list[tuple[int, dict]]]:
    errors: list[RowError] = []
    plan = []
    occupations = {o.code: o for o in Occupation.objects.all()}
    districts = {d.code: d for d in District.objects.all()}
    platforms = {
        o.uscc: o
        for o in Organisation.objects.filter(
            uscc__in=[r["platform"] for _n, r in parsed.rows if r.get("platform")]
        ).prefetch_related("kinds")
    }
    for number, row in parsed.rows:
        found = {
            "occupation": occupations.get(row.get("occupation") or ""),
            "district": districts.get(row.get("district") or ""),
            "platform": platforms.get(row.get("platform") or ""),
        }
        bad = [k for k in found if row.get(k) and found[k] is None]
        for key in bad:
            errors.append(RowError(number, LABEL[key], _("未知的代码。"), row[key][:20]))
        if bad or any(row.get(k) is None for k in VALUES if k not in ("name", "venue", "teachers")):
            continue  # a cell already refused by parsing, or an unknown code
        data = {k: row.get(k) or "" for k in ("name", "venue", "teachers")}
        data.update({k: row[k] for k in VALUES if k not in data})
        data.update(occupation=found["occupation"], platform=found["platform"])
        try:
            services.validate_class(data)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.append(RowError(number, LABEL.get(field, field), " ".join(messages)))
            continue
        plan.append((number, {**data, "district": found["district"]}))
    return errors, plan


def check_classes(actor, parsed: ParsedTable) -> list[RowError]:
    return _plan(parsed)[0]


def write_classes(actor, parsed: ParsedTable) -> dict:
    errors, plan = _plan(parsed)
    if errors:
        raise ValidationError(_("数据在检查后发生了变化，请重新上传。"))
    with transaction.atomic():
        for _number, data in plan:
            services.class_file(actor=actor, channel="import", **data)
    return {"created": len(plan), "updated": 0, "unchanged": 0}


CLASS_IMPORTER = register(
    Importer(
        kind="training-classes",
        label=gettext_lazy("开班备案"),
        columns=CLASS_COLUMNS,
        check=check_classes,
        write=write_classes,
        may_import=perms.can_file_class,
    )
)
