"""Writes to the registry: keyword-only, atomic, audited."""

import csv
import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haihe.core import clock
from haihe.core.audit import diff, log_action
from haihe.core.identifiers import mask_ric, validate_mobile, validate_ric, validate_uscc
from haihe.registry import perms
from haihe.registry.models import (
    Affiliation,
    District,
    InsurancePeriod,
    KeyGroupMembership,
    Occupation,
    Organisation,
    OrganisationKind,
    Person,
    RevealPurpose,
)
from haihe.registry.scopes import REASON_RELATIONS

DATA_DIR = Path(__file__).parent / "data"
PERSON_FIELDS = ("name", "mobile", "district_id")
ORG_FIELDS = (
    "name",
    "district_id",
    "size_class",
    "address",
    "contact_name",
    "contact_mobile",
    "bank_name",
    "bank_account",
)


def _snapshot(obj, fields) -> dict:
    return {f: getattr(obj, f) for f in fields}


NAME_MAX = 50
NOTE_MAX = 200


@dataclass(frozen=True)
class Registration:
    """What a registration answers. A caller who may not see the whole registry gets only what
    it sent (the RIC masked, with the birth date and sex the RIC itself holds): the same answer
    whether the RIC was new, known under that name or known under another. `person` is set only
    for a caller who sees every person (the bureau)."""

    ric: str
    name: str
    sex: str
    birth_date: datetime.date
    district: District
    person: Person | None = None


def _registration_input(ric: str, name: str, mobile: str):
    """The checks that depend on the input only (never on what the registry holds)."""
    facts = validate_ric(ric)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("姓名不能为空。")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("姓名不能超过 %(n)d 个字符。") % {"n": NAME_MAX}})
    mobile = validate_mobile(mobile) if mobile else ""
    return facts, name, mobile


def _new_person(*, actor, facts, name, district, mobile, channel, data=None) -> Person | None:
    """A new person for this RIC, or None if someone registered it meanwhile."""
    try:
        with transaction.atomic():
            person = Person.objects.create(
                ric=facts.number,
                name=name,
                birth_date=facts.birth_date,
                sex=facts.sex,
                mobile=mobile,
                district=district,
            )
    except IntegrityError:
        return None
    log_action(
        actor=actor,
        action="person.registered",
        target=person,
        data={"name": name, "district": district.code, **(data or {})},
        channel=channel,
    )
    return person


def _find_or_register(*, actor, facts, name, district, mobile, channel) -> Person:
    """The person with this RIC, registered first if new; a different name is refused. Only for
    callers entitled to the answer (the bureau; an organisation enrolling the person)."""
    person = Person.objects.select_for_update().filter(ric=facts.number).first()
    if person is None:
        person = _new_person(
            actor=actor, facts=facts, name=name, district=district, mobile=mobile, channel=channel
        )
        if person is None:
            person = Person.objects.select_for_update().get(ric=facts.number)
    if person.name != name:
        raise ValidationError({"name": _("该身份证号码已登记，但姓名与登记信息不一致。")})
    return person


@transaction.atomic
def person_register(
    *,
    actor,
    ric: str,
    name: str,
    district: District,
    mobile: str = "",
    channel: str = "web",
) -> Registration:
    """Register a person. One person per RIC: an existing person is never duplicated nor
    changed by a registration.

    The bureau sees the whole registry: it gets the person, and a different name for a known RIC
    is refused. Anyone else (an organisation) learns nothing about the registry from it: the
    input is checked, the request recorded, and the lookup done later by a task
    (person_registration_process), so that the answer — status, body, errors and the time it
    takes — is the same for a new RIC, a known one under that name and a known one under
    another. A registration ties nobody to the organisation: it sees a person only through a
    relationship that gives it a reason (scopes.REASON_RELATIONS), such as an enrolment."""
    if not perms.can_register_person(actor):
        raise PermissionDenied(_("您无权登记人员。"))
    facts, name, mobile = _registration_input(ric, name, mobile)
    if perms.can_see_every_person(actor):
        person = _find_or_register(
            actor=actor, facts=facts, name=name, district=district, mobile=mobile, channel=channel
        )
        return Registration(
            mask_ric(person.ric), person.name, person.sex, person.birth_date, district, person
        )
    log_action(
        actor=actor,
        action="person.registration_received",
        organisation_id=actor.organisation_id,
        district_id=district.pk,
        data={"ric": mask_ric(facts.number), "name": name, "district": district.code},
        channel=channel,
    )
    from haihe.registry.tasks import process_registration

    # Enqueued in the transaction (the database task backend commits it with the request).
    process_registration.enqueue(
        actor_id=actor.pk,
        ric=facts.number,
        name=name,
        district_id=district.pk,
        mobile=mobile,
        channel=channel,
    )
    return Registration(mask_ric(facts.number), name, facts.sex, facts.birth_date, district)


@transaction.atomic
def person_registration_process(
    *, actor, ric: str, name: str, district: District, mobile: str = "", channel: str = "web"
) -> None:
    """The deferred half of a registration by an organisation: a new RIC is registered with what
    it sent; a known RIC is left as it is. What happened is recorded for the bureau and the
    district only (a name that differs from the registry's is worth their attention)."""
    if not perms.can_register_person(actor):
        return
    facts, name, mobile = _registration_input(ric, name, mobile)
    organisation = {"organisation": actor.organisation.uscc} if actor.organisation_id else {}
    person = Person.objects.select_for_update().filter(ric=facts.number).first()
    if person is None:
        person = _new_person(
            actor=actor,
            facts=facts,
            name=name,
            district=district,
            mobile=mobile,
            channel=channel,
            data=organisation,
        )
        if person is not None:
            return
        person = Person.objects.get(ric=facts.number)
    log_action(
        actor=actor,
        action=(
            "person.registration_known"
            if person.name == name
            else "person.registration_name_mismatch"
        ),
        target=person,  # a person's events belong to no organisation: the bureau's, the district's
        data={"name": name, **organisation},
        channel=channel,
    )


@transaction.atomic
def person_identify(
    *,
    actor,
    ric: str,
    name: str,
    district: District,
    relation: str,
    mobile: str = "",
    channel: str = "web",
) -> Person:
    """The person an organisation has a reason to handle — an enrolment in its class, which the
    caller (training) has checked, named by `relation` — found by RIC and name, registered first
    if new, and tied to the actor's organisation by that relation. A name that differs from the
    registry's is refused. A bare registration gives no reason: that is person_register."""
    if not (perms.can_register_person(actor) and actor.organisation_id):
        raise PermissionDenied(_("您无权登记人员。"))
    if relation not in REASON_RELATIONS:
        raise ValueError(f"not a reason to handle a person: {relation!r}")
    facts, name, mobile = _registration_input(ric, name, mobile)
    person = _find_or_register(
        actor=actor, facts=facts, name=name, district=district, mobile=mobile, channel=channel
    )
    affiliation_add(
        actor=actor,
        person=person,
        organisation=actor.organisation,
        relation=relation,
        since=clock.today(),
        channel=channel,
    )
    return person


@transaction.atomic
def person_update(*, actor, person: Person, channel: str = "web", **changes) -> Person:
    if not perms.can_edit_person(actor, person):
        raise PermissionDenied(_("您无权修改该人员信息。"))
    unknown = set(changes) - {"name", "mobile", "district"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if changes.get("mobile"):
        changes["mobile"] = validate_mobile(changes["mobile"])
    if "name" in changes and not (changes["name"] or "").strip():
        raise ValidationError({"name": _("姓名不能为空。")})
    before = _snapshot(person, PERSON_FIELDS)
    for key, value in changes.items():
        setattr(person, key, value)
    person.save()
    changed = diff(before, _snapshot(person, PERSON_FIELDS))
    if changed:
        log_action(
            actor=actor, action="person.updated", target=person, data=changed, channel=channel
        )
    return person


def reveal_purposes(actor, person) -> list[tuple[str, str]]:
    """The purposes `actor` may state for viewing `person`'s full RIC and phone."""
    if actor.role == "worker" and actor.person_id == person.pk:
        return [(RevealPurpose.OWN_RECORD.value, RevealPurpose.OWN_RECORD.label)]
    return [(v, label) for v, label in RevealPurpose.choices if v != RevealPurpose.OWN_RECORD]


def reveal_reason(*, actor, person=None, purpose: str, note: str = "") -> dict:
    """The stated purpose of a full reveal (a choice, with a note for "other"), checked."""
    allowed = (
        {v for v, _label in reveal_purposes(actor, person)}
        if person is not None
        else set(RevealPurpose.values) - {RevealPurpose.OWN_RECORD}
    )
    if purpose not in allowed:
        raise ValidationError({"purpose": _("请选择查看完整号码的用途。")})
    note = (note or "").strip()
    if purpose == RevealPurpose.OTHER and not note:
        raise ValidationError({"note": _("用途为“其他”时请说明。")})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("说明不能超过 %(n)d 个字符。") % {"n": NOTE_MAX}})
    return {"purpose": purpose, "note": note}


def person_reveal(
    *, actor, person: Person, purpose: str, note: str = "", channel: str = "web"
) -> dict:
    """The full RIC and phone, for a role handling the person, with the purpose stated; every
    view is audited with its purpose."""
    if not perms.can_view_full_pii(actor, person):
        raise PermissionDenied(_("您无权查看完整的身份证号码和手机号码。"))
    reason = reveal_reason(actor=actor, person=person, purpose=purpose, note=note)
    log_action(actor=actor, action="person.pii_viewed", target=person, data=reason, channel=channel)
    return {"ric": person.ric, "mobile": person.mobile}


@transaction.atomic
def affiliation_add(
    *,
    actor,
    person: Person,
    organisation: Organisation,
    relation: str,
    since: datetime.date,
    channel: str = "web",
) -> Affiliation:
    affiliation, created = Affiliation.objects.get_or_create(
        organisation=organisation,
        person=person,
        relation=relation,
        defaults={"since": since},
    )
    if created:
        log_action(
            actor=actor,
            action="person.affiliated",
            target=person,
            organisation_id=organisation.pk,
            data={"organisation": organisation.uscc, "relation": relation, "since": since},
            channel=channel,
        )
    return affiliation


@transaction.atomic
def key_group_add(
    *,
    actor,
    person: Person,
    group: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None,
    evidence: str,
    channel: str = "web",
) -> KeyGroupMembership:
    if not perms.can_manage_key_groups(actor, person):
        raise PermissionDenied(_("您无权登记重点群体身份。"))
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("截止日期不能早于起始日期。")})
    if not (evidence or "").strip():
        raise ValidationError({"evidence": _("请填写证明材料。")})
    membership = KeyGroupMembership.objects.create(
        person=person,
        group=group,
        valid_from=valid_from,
        valid_until=valid_until,
        evidence=evidence.strip(),
    )
    log_action(
        actor=actor,
        action="person.key_group_added",
        target=person,
        data={"group": group, "from": valid_from, "until": valid_until, "evidence": evidence},
        channel=channel,
    )
    return membership


@transaction.atomic
def key_group_void(*, actor, membership: KeyGroupMembership, reason: str) -> KeyGroupMembership:
    if not perms.can_manage_key_groups(actor, membership.person):
        raise PermissionDenied(_("您无权作废重点群体身份。"))
    if membership.voided_at is not None:
        raise ValidationError(_("该身份已作废。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写理由。")})
    membership.voided_at = clock.now()
    membership.void_reason = reason.strip()
    membership.save(update_fields=["voided_at", "void_reason"])
    log_action(
        actor=actor,
        action="person.key_group_voided",
        target=membership.person,
        data={"group": membership.group, "reason": reason},
    )
    return membership


@transaction.atomic
def organisation_register(
    *,
    actor,
    uscc: str,
    name: str,
    district: District,
    kinds: list[str],
    size_class: str = "",
    channel: str = "web",
    **details,
) -> Organisation:
    if not perms.can_import_organisations(actor):
        raise PermissionDenied(_("您无权登记单位。"))
    code = validate_uscc(uscc)
    if Organisation.objects.filter(uscc=code).exists():
        raise ValidationError({"uscc": _("该统一社会信用代码已登记。")})
    if not kinds:
        raise ValidationError({"kinds": _("请至少选择一种单位类型。")})
    organisation = Organisation.objects.create(
        uscc=code, name=name.strip(), district=district, size_class=size_class, **details
    )
    OrganisationKind.objects.bulk_create(
        [OrganisationKind(organisation=organisation, kind=k) for k in sorted(set(kinds))]
    )
    log_action(
        actor=actor,
        action="organisation.registered",
        target=organisation,
        data={"name": name, "kinds": sorted(set(kinds)), "district": district.code},
        channel=channel,
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor, organisation: Organisation, channel: str = "web", **changes
) -> Organisation:
    if not perms.can_edit_organisation(actor, organisation):
        raise PermissionDenied(_("您无权修改该单位信息。"))
    allowed = set(ORG_FIELDS) | {"district"}
    if actor.role != "bureau_admin":
        allowed -= {"name", "district", "district_id", "size_class"}
    unknown = set(changes) - allowed
    if unknown:
        raise PermissionDenied(_("这些信息只能由人社部门修改。"))
    if changes.get("contact_mobile"):
        changes["contact_mobile"] = validate_mobile(changes["contact_mobile"])
    before = _snapshot(organisation, ORG_FIELDS)
    for key, value in changes.items():
        setattr(organisation, key, value)
    organisation.save()
    changed = diff(before, _snapshot(organisation, ORG_FIELDS))
    if changed:
        log_action(
            actor=actor,
            action="organisation.updated",
            target=organisation,
            data=changed,
            channel=channel,
        )
    return organisation


@transaction.atomic
def insurance_period_add(
    *,
    actor,
    organisation: Organisation,
    status: str,
    valid_from: datetime.date,
    headcount: int | None = None,
) -> InsurancePeriod:
    """Record a new insurance status from a date; the open period before it is closed."""
    if not perms.can_import_organisations(actor):
        raise PermissionDenied(_("您无权修改参保状态。"))
    current = organisation.insurance_periods.filter(valid_until__isnull=True).first()
    if current is not None:
        if valid_from <= current.valid_from:
            raise ValidationError({"valid_from": _("新状态的起始日期应晚于当前状态的起始日期。")})
        current.valid_until = valid_from - datetime.timedelta(days=1)
        current.save(update_fields=["valid_until"])
    period = InsurancePeriod.objects.create(
        organisation=organisation,
        status=status,
        valid_from=valid_from,
        insured_headcount=headcount,
    )
    log_action(
        actor=actor,
        action="organisation.insurance_changed",
        target=organisation,
        data={"status": status, "from": valid_from, "headcount": headcount},
    )
    return period


def load_districts(region_code: str, path: Path | None = None) -> int:
    """Load (or refresh) a region's districts from its CSV; returns how many were new."""
    path = path or DATA_DIR / f"districts_{region_code}.csv"
    created = 0
    with transaction.atomic(), path.open(encoding="utf-8") as handle:
        for order, row in enumerate(csv.DictReader(handle)):
            _district, made = District.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name_zh": row["name_zh"],
                    "name_en": row["name_en"],
                    "region_code": region_code,
                    "sort_order": order,
                },
            )
            created += made
    return created


OCCUPATION_CODE_RE = r"^\d-\d{2}-\d{2}-\d{2}$"


def parse_occupation_rows(text: str) -> tuple[list[dict], list[dict]]:
    """Rows of an occupation catalogue CSV, and every bad row (row, column, message)."""
    import re

    rows, errors = [], []
    reader = csv.DictReader(io.StringIO(text))
    missing = {"code", "name_zh", "levels"} - set(reader.fieldnames or [])
    if missing:
        return [], [{"row": 1, "column": ", ".join(sorted(missing)), "message": _("缺少列。")}]
    seen = {}
    for number, row in enumerate(reader, start=2):
        code = (row.get("code") or "").strip()
        if not re.fullmatch(OCCUPATION_CODE_RE, code):
            errors.append(
                {"row": number, "column": "code", "message": _("职业编码格式应为 X-XX-XX-XX。")}
            )
            continue
        if code in seen:
            errors.append(
                {
                    "row": number,
                    "column": "code",
                    "message": _("与第 %(row)d 行重复。") % {"row": seen[code]},
                }
            )
            continue
        seen[code] = number
        try:
            levels = sorted(
                {
                    int(x)
                    for x in (row.get("levels") or "").replace(",", ";").split(";")
                    if x.strip()
                },
                reverse=True,
            )
        except ValueError:
            levels = []
        if not levels or any(level not in range(1, 6) for level in levels):
            errors.append(
                {
                    "row": number,
                    "column": "levels",
                    "message": _("等级应为 1–5 的数字，用分号分隔。"),
                }
            )
            continue
        if not (row.get("name_zh") or "").strip():
            errors.append({"row": number, "column": "name_zh", "message": _("不能为空。")})
            continue
        rows.append(
            {
                "code": code,
                "name_zh": row["name_zh"].strip(),
                "name_en": (row.get("name_en") or "").strip(),
                "levels": levels,
            }
        )
    return rows, errors


@transaction.atomic
def occupations_replace(*, actor, text: str, channel: str = "web") -> dict:
    """Replace the catalogue with the given CSV: new codes added, known ones updated, codes not
    in the file marked inactive (never deleted: classes and certificates refer to them)."""
    if actor is not None and not perms.can_manage_occupations(actor):
        raise PermissionDenied(_("您无权维护职业目录。"))
    rows, errors = parse_occupation_rows(text)
    if errors:
        raise ValidationError([f"{e['row']}/{e['column']}: {e['message']}" for e in errors])
    codes = set()
    created = updated = 0
    for row in rows:
        codes.add(row["code"])
        _occupation, made = Occupation.objects.update_or_create(
            code=row["code"],
            defaults={**{k: v for k, v in row.items() if k != "code"}, "active": True},
        )
        created += made
        updated += not made
    deactivated = (
        Occupation.objects.exclude(code__in=codes).filter(active=True).update(active=False)
    )
    summary = {"created": created, "updated": updated, "deactivated": deactivated}
    log_action(actor=actor, action="occupations.replaced", data=summary, channel=channel)
    return summary
