"""Bulk import of the expert roster (.xlsx / .csv), all or nothing, through the shared import
pages (/imports/panel_experts/). A row names a person already in the registry by RIC; an
existing roster entry is updated, a new one created, each through the roster services."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.core.identifiers import validate_ric, validate_uscc
from haihe.core.imports import Importer, register
from haihe.core.tabular import Column, ParsedTable, RowError
from haihe.panels import perms
from haihe.panels.models import Expert
from haihe.panels.services_experts import expert_create, expert_update
from haihe.registry.models import Occupation, Organisation, Person


def _ric(value: str) -> str:
    return validate_ric(value).number


def _codes(value: str) -> list[str]:
    return list(dict.fromkeys(c for c in re.split(r"[;；,，\s]+", value.strip()) if c))


def _limited(limit: int):
    def parse(value: str) -> str:
        value = value.strip()
        if len(value) > limit:
            raise ValidationError(_("不能超过 %(n)d 个字。") % {"n": limit})
        return value

    return parse


COLUMNS = [
    Column("ric", gettext_lazy("居民身份证号码"), _ric, example="120101197003071234"),
    Column(
        "employer",
        gettext_lazy("工作单位统一社会信用代码"),
        validate_uscc,
        required=False,
        example="91120101MA05K8QX3B",
    ),
    Column(
        "title", gettext_lazy("职称或职务"), _limited(100), required=False, example="高级工程师"
    ),
    Column(
        "expertise", gettext_lazy("专业领域"), _limited(255), required=False, example="数控加工"
    ),
    Column(
        "specialities",
        gettext_lazy("擅长职业编码"),
        _codes,
        required=False,
        example="6-18-01-01; 6-18-01-02",
    ),
    Column("note", gettext_lazy("备注"), _limited(500), required=False),
]
LABELS = {c.key: str(c.label) for c in COLUMNS}


def check(actor, parsed: ParsedTable) -> list[RowError]:
    errors, first_row = [], {}
    rows = parsed.rows
    people = set(
        Person.objects.filter(ric__in=[r["ric"] for _, r in rows if r.get("ric")]).values_list(
            "ric", flat=True
        )
    )
    employers = set(
        Organisation.objects.filter(
            uscc__in=[r["employer"] for _, r in rows if r.get("employer")]
        ).values_list("uscc", flat=True)
    )
    wanted = {code for _, r in rows for code in (r.get("specialities") or [])}
    occupations = set(
        Occupation.objects.filter(code__in=wanted, active=True).values_list("code", flat=True)
    )
    for number, row in rows:
        ric = row.get("ric")
        if ric:
            if ric in first_row:
                errors.append(
                    RowError(
                        number,
                        LABELS["ric"],
                        _("与第 %(row)d 行重复。") % {"row": first_row[ric]},
                        ric[:4],
                    )
                )
            first_row.setdefault(ric, number)
            if ric not in people:
                errors.append(
                    RowError(number, LABELS["ric"], _("人员库中没有该人员，请先登记人员。"))
                )
        if row.get("employer") and row["employer"] not in employers:
            errors.append(
                RowError(number, LABELS["employer"], _("单位库中没有该单位。"), row["employer"])
            )
        unknown = [c for c in row.get("specialities") or [] if c not in occupations]
        if unknown:
            errors.append(
                RowError(
                    number,
                    LABELS["specialities"],
                    _("未知或已停用的职业编码：%(codes)s") % {"codes": "、".join(unknown)},
                )
            )
    return errors


def write(actor, parsed: ParsedTable) -> dict:
    rows = [row for _, row in parsed.rows]
    people = {p.ric: p for p in Person.objects.filter(ric__in=[r["ric"] for r in rows])}
    employers = {
        o.uscc: o
        for o in Organisation.objects.filter(
            uscc__in=[r["employer"] for r in rows if r["employer"]]
        )
    }
    codes = {c for r in rows for c in (r.get("specialities") or [])}
    occupations = {o.code: o for o in Occupation.objects.filter(code__in=codes)}
    existing = {e.person_id: e for e in Expert.objects.filter(person__in=people.values())}
    created = updated = 0
    for row in rows:
        person = people[row["ric"]]
        values = {
            "employer": employers.get(row.get("employer") or ""),
            "title": row.get("title") or "",
            "expertise": row.get("expertise") or "",
            "specialities": [occupations[c] for c in row.get("specialities") or []],
            "note": row.get("note") or "",
        }
        expert = existing.get(person.pk)
        if expert is None:
            expert_create(actor=actor, person=person, channel="import", **values)
            created += 1
        else:
            expert_update(actor=actor, expert=expert, channel="import", **values)
            updated += 1
    return {"created": created, "updated": updated}


IMPORTER = register(
    Importer(
        kind="panel_experts",
        label=gettext_lazy("评审专家"),
        columns=COLUMNS,
        check=check,
        write=write,
        may_import=perms.can_manage_roster,
    )
)
