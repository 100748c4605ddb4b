"""Bulk import of people and organisations (.xlsx / .csv), all or nothing."""

import contextvars
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.core.audit import log_actions_bulk
from haihe.core.identifiers import validate_mobile, validate_ric, validate_uscc
from haihe.core.imports import Importer, register
from haihe.core.tabular import Column, ParsedTable, RowError
from haihe.registry import perms
from haihe.registry.models import (
    District,
    InsurancePeriod,
    InsuranceStatus,
    KeyGroup,
    KeyGroupMembership,
    Organisation,
    OrganisationKind,
    OrgKind,
    Person,
    SizeClass,
)
from haihe.registry.services import NAME_MAX

_DISTRICTS: contextvars.ContextVar[dict[str, int]] = contextvars.ContextVar("districts")


def prepare() -> None:
    """Read the districts once per import (not once per row)."""
    lookup = {}
    for district in District.objects.all():
        for name in (district.code, district.name_zh, district.name_en.lower()):
            if name:
                lookup[name] = district.pk
    _DISTRICTS.set(lookup)


def _district(value: str) -> int:
    lookup = _DISTRICTS.get(None)
    if lookup is None:
        prepare()
        lookup = _DISTRICTS.get()
    value = value.strip()
    pk = lookup.get(value) or lookup.get(value.lower())
    if pk is None:
        raise ValidationError(_("未知的区：请填写区名或 6 位行政区划代码。"))
    return pk


def _choice(choices):
    def parse(value: str) -> str:
        value = value.strip()
        for code, label in choices:
            if value.lower() == code or value == str(label):
                return code
            from django.utils import translation

            with translation.override("en"):
                if value.lower() == str(label).lower():
                    return code
            with translation.override("zh-hans"):
                if value == str(label):
                    return code
        raise ValidationError(
            _("无效的取值；可选：%(choices)s")
            % {"choices": "、".join(str(lbl) for _, lbl in choices)}
        )

    return parse


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip().replace("/", "-"))
    except ValueError as exc:
        raise ValidationError(_("日期格式应为 YYYY-MM-DD。")) from exc


def _kinds(value: str) -> list[str]:
    parse = _choice(OrgKind.choices)
    return sorted({parse(part) for part in value.replace("；", ";").split(";") if part.strip()})


def _ric(value: str) -> str:
    return validate_ric(value).number


PEOPLE_COLUMNS = [
    Column("ric", gettext_lazy("居民身份证号码"), _ric, example="120101199003071234"),
    Column("name", gettext_lazy("姓名"), str.strip, example="张伟"),
    Column("district", gettext_lazy("居住区"), _district, example="和平区"),
    Column(
        "mobile", gettext_lazy("手机号码"), validate_mobile, required=False, example="13812345678"
    ),
    Column("key_group", gettext_lazy("重点群体"), _choice(KeyGroup.choices), required=False),
    Column("key_group_from", gettext_lazy("重点群体起始日期"), _date, required=False),
    Column("key_group_until", gettext_lazy("重点群体截止日期"), _date, required=False),
    Column("evidence", gettext_lazy("证明材料"), str.strip, required=False),
]


def check_people(actor, parsed: ParsedTable) -> list[RowError]:
    """Checks of the file itself, never of what the registry holds: an organisation's import
    answers the same whether its people are known or not (services.person_register)."""
    errors = []
    first_row: dict[str, int] = {}
    label = str(PEOPLE_COLUMNS[0].label)
    for number, row in parsed.rows:
        ric = row.get("ric")
        if not ric:
            continue
        if ric in first_row:
            errors.append(
                RowError(
                    number, label, _("与第 %(row)d 行重复。") % {"row": first_row[ric]}, ric[:4]
                )
            )
            continue
        first_row[ric] = number
        if row.get("name") and len(row["name"]) > NAME_MAX:
            errors.append(
                RowError(
                    number,
                    str(PEOPLE_COLUMNS[1].label),
                    _("姓名不能超过 %(n)d 个字符。") % {"n": NAME_MAX},
                )
            )
        if row.get("key_group"):
            if not row.get("key_group_from"):
                errors.append(
                    RowError(number, str(PEOPLE_COLUMNS[5].label), _("填写重点群体时必填。"))
                )
            if not row.get("evidence"):
                errors.append(
                    RowError(number, str(PEOPLE_COLUMNS[7].label), _("填写重点群体时必填。"))
                )
            if (
                row.get("key_group_until")
                and row.get("key_group_from")
                and row["key_group_until"] < row["key_group_from"]
            ):
                errors.append(
                    RowError(number, str(PEOPLE_COLUMNS[6].label), _("截止日期不能早于起始日期。"))
                )
        if row.get("key_group") and not perms.can_see_every_person(actor):
            errors.append(
                RowError(
                    number, str(PEOPLE_COLUMNS[4].label), _("重点群体身份只能由人社部门登记。")
                )
            )
    return errors


def write_people(actor, parsed: ParsedTable) -> dict:
    """New RICs are registered. The bureau also updates the people it knows and records key
    groups. An organisation's rows about known people change nothing and tie nobody to it; what
    happened is recorded for the bureau and the districts only, and the organisation is told how
    many rows were received."""
    bureau = perms.can_see_every_person(actor)
    rows = [row for _, row in parsed.rows]
    by_ric = {p.ric: p for p in Person.objects.filter(ric__in=[r["ric"] for r in rows])}
    new_people, updated, known = [], [], []
    for row in rows:
        person = by_ric.get(row["ric"])
        if person is None:
            facts = validate_ric(row["ric"])
            person = Person(
                ric=facts.number,
                name=row["name"],
                birth_date=facts.birth_date,
                sex=facts.sex,
                mobile=row.get("mobile") or "",
                district_id=row["district"],
            )
            new_people.append(person)
            by_ric[person.ric] = person
        elif bureau:
            changed = False
            for field, value in (
                ("name", row["name"]),
                ("district_id", row["district"]),
                ("mobile", row.get("mobile")),
            ):
                if value and getattr(person, field) != value:
                    setattr(person, field, value)
                    changed = True
            if changed:
                updated.append(person)
        else:
            known.append((person, row["name"]))
    with transaction.atomic():
        Person.objects.bulk_create(new_people, batch_size=1000)
        if not new_people or new_people[0].pk is None:
            # Backends that do not return keys from bulk inserts: read them back.
            ids = dict(
                Person.objects.filter(ric__in=[p.ric for p in new_people]).values_list("ric", "pk")
            )
            for p in new_people:
                p.pk = p.id = ids[p.ric]
        if updated:
            Person.objects.bulk_update(updated, ["name", "district_id", "mobile"], batch_size=1000)
        organisation = {"organisation": actor.organisation.uscc} if actor.organisation_id else {}
        log_actions_bulk(
            actor=actor,
            action="person.registered",
            targets=new_people,
            data_for=lambda p: organisation,
            channel="import",
            actor_scope=False,
        )
        log_actions_bulk(actor=actor, action="person.updated", targets=updated, channel="import")
        submitted = {p.pk: name for p, name in known}
        for action, people in (
            ("person.registration_known", [p for p, name in known if p.name == name]),
            ("person.registration_name_mismatch", [p for p, name in known if p.name != name]),
        ):
            log_actions_bulk(
                actor=actor,
                action=action,
                targets=people,
                data_for=lambda p: {"name": submitted[p.pk], **organisation},
                channel="import",
                actor_scope=False,
            )
        memberships = [
            KeyGroupMembership(
                person_id=by_ric[row["ric"]].pk,
                group=row["key_group"],
                valid_from=row["key_group_from"],
                valid_until=row.get("key_group_until"),
                evidence=row["evidence"],
            )
            for row in rows
            if row.get("key_group") and bureau
        ]
        KeyGroupMembership.objects.bulk_create(memberships, batch_size=1000)
    if not bureau:
        return {"received": len(rows)}
    return {
        "created": len(new_people),
        "updated": len(updated),
        "unchanged": len(rows) - len(new_people) - len(updated),
        "key_groups": len(memberships),
    }


ORG_COLUMNS = [
    Column("uscc", gettext_lazy("统一社会信用代码"), validate_uscc, example="91120101MA05K8QX3B"),
    Column("name", gettext_lazy("单位名称"), str.strip, example="天津海河精密机械有限公司"),
    Column("district", gettext_lazy("所在区"), _district, example="滨海新区"),
    Column("kinds", gettext_lazy("单位类型"), _kinds, example="企业;培训机构"),
    Column(
        "size_class",
        gettext_lazy("企业规模"),
        _choice(SizeClass.choices),
        required=False,
        example="小型",
    ),
    Column(
        "insurance_status",
        gettext_lazy("参保状态"),
        _choice(InsuranceStatus.choices),
        required=False,
        example="正常参保",
    ),
    Column(
        "insurance_from",
        gettext_lazy("参保状态起始日期"),
        _date,
        required=False,
        example="2019-01-01",
    ),
    Column("address", gettext_lazy("地址"), str.strip, required=False),
    Column("contact_name", gettext_lazy("联系人"), str.strip, required=False),
    Column("contact_mobile", gettext_lazy("联系电话"), validate_mobile, required=False),
]


def check_organisations(actor, parsed: ParsedTable) -> list[RowError]:
    errors, first_row = [], {}
    label = str(ORG_COLUMNS[0].label)
    for number, row in parsed.rows:
        code = row.get("uscc")
        if code and code in first_row:
            errors.append(
                RowError(number, label, _("与第 %(row)d 行重复。") % {"row": first_row[code]}, code)
            )
        elif code:
            first_row[code] = number
        if row.get("insurance_status") and not row.get("insurance_from"):
            errors.append(RowError(number, str(ORG_COLUMNS[6].label), _("填写参保状态时必填。")))
    return errors


def write_organisations(actor, parsed: ParsedTable) -> dict:
    rows = [row for _, row in parsed.rows]
    existing = {o.uscc: o for o in Organisation.objects.filter(uscc__in=[r["uscc"] for r in rows])}
    created, updated = [], []
    fields = ("name", "district_id", "size_class", "address", "contact_name", "contact_mobile")
    for row in rows:
        values = {
            "name": row["name"],
            "district_id": row["district"],
            "size_class": row.get("size_class") or "",
            "address": row.get("address") or "",
            "contact_name": row.get("contact_name") or "",
            "contact_mobile": row.get("contact_mobile") or "",
        }
        org = existing.get(row["uscc"])
        if org is None:
            org = Organisation.objects.create(uscc=row["uscc"], **values)
            created.append(org)
        else:
            changed = {k: v for k, v in values.items() if v and getattr(org, k) != v}
            if changed:
                for k, v in changed.items():
                    setattr(org, k, v)
                org.save(update_fields=[*changed, "updated_at"])
                updated.append(org)
        have = set(org.kinds.values_list("kind", flat=True))
        OrganisationKind.objects.bulk_create(
            [OrganisationKind(organisation=org, kind=k) for k in row["kinds"] if k not in have]
        )
        if row.get("insurance_status"):
            current = org.insurance_periods.filter(valid_until__isnull=True).first()
            if current is None or current.status != row["insurance_status"]:
                if current is not None and current.valid_from < row["insurance_from"]:
                    current.valid_until = row["insurance_from"] - datetime.timedelta(days=1)
                    current.save(update_fields=["valid_until"])
                InsurancePeriod.objects.create(
                    organisation=org,
                    status=row["insurance_status"],
                    valid_from=row["insurance_from"],
                )
    del fields
    log_actions_bulk(
        actor=actor, action="organisation.registered", targets=created, channel="import"
    )
    log_actions_bulk(actor=actor, action="organisation.updated", targets=updated, channel="import")
    return {
        "created": len(created),
        "updated": len(updated),
        "unchanged": len(rows) - len(created) - len(updated),
    }


PEOPLE_IMPORTER = register(
    Importer(
        kind="people",
        label=gettext_lazy("人员"),
        columns=PEOPLE_COLUMNS,
        check=check_people,
        write=write_people,
        may_import=perms.can_import_people,
        prepare=prepare,
    )
)
ORGANISATION_IMPORTER = register(
    Importer(
        kind="organisations",
        label=gettext_lazy("单位"),
        columns=ORG_COLUMNS,
        check=check_organisations,
        write=write_organisations,
        may_import=perms.can_import_organisations,
        prepare=prepare,
    )
)
