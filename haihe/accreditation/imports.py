"""Import of existing holders (存量认定导入): the enterprise training centres (and any other
kind) recognised before the platform, with their numbers and dates, loaded from an .xlsx/.csv
through the core import mechanism (/imports/accreditation-recognitions/): all or nothing, every
bad row named, a template to download. Each row becomes a Recognition with source "import"
(no application), audited; an online platform's row is linked to its "1+N" selection."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.accreditation import perms
from haihe.accreditation.models import SCOPE_MAX, Kind, Recognition, Source
from haihe.accreditation.workflows import recognition_workflow
from haihe.core import clock
from haihe.core.audit import log_actions_bulk
from haihe.core.identifiers import validate_uscc
from haihe.core.imports import Importer, register
from haihe.core.tabular import Column, ParsedTable, RowError
from haihe.registry.models import Occupation, Organisation

NUMBER_MAX = Recognition._meta.get_field("number").max_length


def _number(value: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationError(_("请填写认定编号。"))
    if len(text) > NUMBER_MAX:
        raise ValidationError(_("认定编号不能超过 %(n)d 个字符。") % {"n": NUMBER_MAX})
    return text


def _kind(value: str) -> str:
    text = str(value or "").strip()
    for code, label in Kind.choices:
        if text.lower() == code or text == str(label):
            return code
    raise ValidationError(
        _("认定类别应为以下之一：%(kinds)s。") % {"kinds": "、".join(str(k.label) for k in Kind)}
    )


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value).strip().replace("/", "-")[:10])
    except ValueError as exc:
        raise ValidationError(_("日期格式应为 YYYY-MM-DD。")) from exc


def _scope(value: str) -> list[dict]:
    """ "6-18-01-01/3；4-07-05-01/4": occupation code and level, separated by ；or ;"""
    items = {}
    for part in str(value or "").replace("；", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        code, _sep, level = part.partition("/")
        try:
            number = int(level.strip())
        except ValueError:
            number = 0
        if not code.strip() or not 1 <= number <= 5:
            raise ValidationError(
                _("认定范围每项应写作“职业编码/等级”（等级 1–5）：%(v)s") % {"v": part}
            )
        items[(code.strip(), number)] = {"occupation": code.strip(), "level": number}
    if len(items) > SCOPE_MAX:
        raise ValidationError(_("认定范围至多 %(n)s 项。") % {"n": SCOPE_MAX})
    return sorted(items.values(), key=lambda i: (i["occupation"], i["level"]))


COLUMNS = [
    Column("number", gettext_lazy("认定编号"), _number, example="QP2016-0031"),
    Column("uscc", gettext_lazy("统一社会信用代码"), validate_uscc, example="91120101MA05XXXXXX"),
    Column("kind", gettext_lazy("认定类别"), _kind, example="企业培训中心"),
    Column("valid_from", gettext_lazy("有效期起"), _date, example="2016-09-01"),
    Column("valid_until", gettext_lazy("有效期止"), _date, example="2021-08-31"),
    Column(
        "scope",
        gettext_lazy("认定范围（职业编码/等级；评价机构填写）"),
        _scope,
        required=False,
        example="6-18-01-01/3;6-18-01-01/4",
    ),
]
COL = {c.key: str(c.label) for c in COLUMNS}


def _plan(actor, parsed: ParsedTable):
    """(errors, rows): each good row with its holder; no writes."""
    errors: list[RowError] = []
    plan: list[tuple[int, dict, Organisation]] = []
    complete = ("number", "uscc", "kind", "valid_from", "valid_until")
    good = [(n, r) for n, r in parsed.rows if all(r.get(k) is not None for k in complete)]
    holders = {
        o.uscc: o
        for o in Organisation.objects.filter(uscc__in={r["uscc"] for _n, r in good})
        .select_related("district")
        .prefetch_related("kinds")
    }
    taken = set(
        Recognition.objects.filter(number__in={r["number"] for _n, r in good}).values_list(
            "number", flat=True
        )
    )
    held = set(
        Recognition.objects.filter(
            holder__uscc__in=list(holders), status__in=("active", "suspended")
        ).values_list("holder__uscc", "kind")
    )
    codes = {i["occupation"] for _n, r in good for i in r.get("scope") or []}
    levels = dict(Occupation.objects.filter(code__in=codes).values_list("code", "levels"))
    today = clock.today()
    numbers: dict[str, int] = {}
    pairs: dict[tuple[str, str], int] = {}
    for number, row in good:
        if row["number"] in numbers:
            errors.append(
                RowError(
                    number,
                    COL["number"],
                    _("与第 %(row)d 行重复。") % {"row": numbers[row["number"]]},
                )
            )
            continue
        numbers[row["number"]] = number
        if row["number"] in taken:
            errors.append(RowError(number, COL["number"], _("该认定编号已存在。"), row["number"]))
            continue
        holder = holders.get(row["uscc"])
        if holder is None:
            errors.append(
                RowError(
                    number, COL["uscc"], _("单位登记库中没有该统一社会信用代码。"), row["uscc"]
                )
            )
            continue
        if row["valid_until"] < row["valid_from"]:
            errors.append(RowError(number, COL["valid_until"], _("有效期止不得早于有效期起。")))
            continue
        if row["valid_from"] > today:
            errors.append(
                RowError(number, COL["valid_from"], _("存量认定的有效期起不得晚于今天。"))
            )
            continue
        if row["valid_until"] < today:
            errors.append(
                RowError(number, COL["valid_until"], _("该认定已过有效期，不属于现有的认定单位。"))
            )
            continue
        scope = row.get("scope") or []
        if row["kind"] == Kind.EVALUATION_BODY:
            if not scope:
                errors.append(RowError(number, COL["scope"], _("评价机构应填写认定范围。")))
                continue
            wrong = next(
                (i for i in scope if i["level"] not in (levels.get(i["occupation"]) or [])), None
            )
            if wrong is not None:
                errors.append(
                    RowError(
                        number, COL["scope"],
                        _("职业分类中没有 %(item)s 这一职业和等级。")
                        % {"item": f"{wrong['occupation']}/{wrong['level']}"},
                    )
                )  # fmt: skip
                continue
        elif scope:
            errors.append(RowError(number, COL["scope"], _("只有评价机构填写认定范围。")))
            continue
        if (
            row["kind"] == Kind.ONLINE_PLATFORM
            and "online_training_platform" not in holder.kind_codes()
        ):
            errors.append(RowError(number, COL["uscc"], _("该单位不是线上培训平台。"), row["uscc"]))
            continue
        pair = (row["uscc"], row["kind"])
        if pair in held:
            errors.append(
                RowError(number, COL["uscc"], _("该单位已有有效的同类认定。"), row["uscc"])
            )
            continue
        if pair in pairs:
            errors.append(
                RowError(
                    number,
                    COL["uscc"],
                    _("与第 %(row)d 行是同一单位的同类认定。") % {"row": pairs[pair]},
                )
            )
            continue
        pairs[pair] = number
        plan.append((number, row, holder))
    return errors, plan


def check(actor, parsed: ParsedTable) -> list[RowError]:
    return _plan(actor, parsed)[0]


def _granted_at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _selection_for(holder, row):
    """The platform's "1+N" selection covering the recognition: the one it has, else a new one."""
    from haihe.xapi.models import PlatformSelection
    from haihe.xapi.services import platform_select

    found = (
        PlatformSelection.objects.filter(
            organisation=holder, revoked_at__isnull=True, valid_until__gte=clock.today()
        )
        .order_by("-valid_until")
        .first()
    )
    if found is not None:
        return found
    return platform_select(
        actor=None, organisation=holder, valid_from=row["valid_from"],
        valid_until=row["valid_until"], note=row["number"], channel="import",
    )  # fmt: skip


def write(actor, parsed: ParsedTable) -> dict:
    errors, plan = _plan(actor, parsed)
    if errors:
        raise ValidationError(_("数据在检查后发生了变化，请重新上传。"))
    with transaction.atomic():
        rows = []
        for _number, row, holder in plan:
            recognition = Recognition(
                number=row["number"],
                holder=holder,
                district_id=holder.district_id,
                kind=row["kind"],
                source=Source.IMPORT,
                scope=row.get("scope") or [],
                valid_from=row["valid_from"],
                valid_until=row["valid_until"],
                granted_at=_granted_at(row["valid_from"]),
                status_since=row["valid_from"],
            )
            if row["kind"] == Kind.ONLINE_PLATFORM:
                recognition.xapi_selection = _selection_for(holder, row)
            rows.append(recognition_workflow.start(recognition))
        Recognition.objects.bulk_create(rows, batch_size=1000)
        saved = list(Recognition.objects.filter(number__in=[r.number for r in rows]))
        log_actions_bulk(
            actor=actor,
            action="accreditation.recognition_imported",
            targets=saved,
            data_for=lambda r: {
                "kind": r.kind, "valid_from": r.valid_from, "valid_until": r.valid_until,
                "scope": r.scope,
            },
            channel="import",
        )  # fmt: skip
    return {"created": len(rows), "updated": 0, "unchanged": 0}


IMPORTER = register(
    Importer(
        kind="accreditation-recognitions",
        label=gettext_lazy("存量认定单位"),
        columns=COLUMNS,
        check=check,
        write=write,
        may_import=perms.can_manage_recognitions,
    )
)
