"""Storing statements: validate everything first, then one short transaction per batch.

A batch is all or nothing: it is validated completely before the transaction starts, and inside
it every row is written with bulk inserts (three statements per batch however large it is). A
statement already stored with the same id is accepted again when it is the same statement (per
the comparison rules of xAPI 1.0.3) and refused with 409 when it differs.
"""

import uuid
from dataclasses import dataclass, field

import orjson
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from haihe.core import clock
from haihe.xapi.errors import XAPIError
from haihe.xapi.keys import agent_key, comparable, fit, key_hash
from haihe.xapi.models import Attachment, Statement, StatementRelation
from haihe.xapi.signals import statements_resent, statements_stored
from haihe.xapi.validation import VOIDED_VERB, parse_timestamp, validate_statement

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"


def authority_homepage() -> str:
    return getattr(settings, "HAIHE_XAPI_AUTHORITY_HOMEPAGE", "https://haihe.tj.gov.cn/xapi")


def authority_for(uscc: str) -> dict:
    """The authority the LRS sets on every statement a platform sends (its credential's owner)."""
    return {"objectType": "Agent", "account": {"homePage": authority_homepage(), "name": uscc}}


def iso(moment) -> str:
    return moment.astimezone(timezone.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Prepared:
    statement_id: str
    payload: dict
    timestamp: object
    given_timestamp: str | None
    relations: list = field(default_factory=list)
    voids: str | None = None

    def columns(self) -> dict:
        """The query columns derived from the statement."""
        payload = self.payload
        obj = payload["object"]
        object_type = obj.get("objectType", "Activity")
        registration = (payload.get("context") or {}).get("registration")
        registration = registration.lower() if registration else None
        activity_id = fit(obj["id"]) if object_type == "Activity" else ""
        actor = agent_key(payload["actor"])
        return {
            "registration": registration,
            "registration_hash": key_hash(registration),
            "verb_id": fit(payload["verb"]["id"]),
            "activity_id": activity_id,
            "activity_hash": key_hash(activity_id),
            "actor_key": actor,
            "actor_hash": key_hash(actor),
            "object_agent_key": (agent_key(obj) or None)
            if object_type in ("Agent", "Group")
            else None,
            "object_statement_id": obj["id"].lower() if object_type == "StatementRef" else None,
        }


def _context_relations(context, relations: list) -> None:
    from haihe.xapi.keys import member_keys

    if not isinstance(context, dict):
        return
    for key in ("instructor", "team"):
        if key in context:
            relations.append((StatementRelation.AGENT, agent_key(context[key])))
            relations.extend((StatementRelation.AGENT, m) for m in member_keys(context[key]))
    for value in (context.get("contextActivities") or {}).values():
        for activity in value if isinstance(value, list) else [value]:
            relations.append((StatementRelation.ACTIVITY, fit(activity["id"])))


def relations_of(statement: dict) -> list[tuple[str, str]]:
    """The agents and activities the statement names beyond its actor and object, and the
    members of Groups anywhere in it (those of the actor/object Group as MEMBER_RELATION, which
    the plain `agent` filter also matches)."""
    from haihe.xapi.keys import MEMBER_RELATION, member_keys

    relations: list[tuple[str, str]] = []
    obj = statement["object"]
    for group in (statement["actor"], obj):
        relations.extend((MEMBER_RELATION, m) for m in member_keys(group))
    _context_relations(statement.get("context"), relations)
    if obj.get("objectType") == "SubStatement":
        relations.append((StatementRelation.AGENT, agent_key(obj["actor"])))
        relations.extend((StatementRelation.AGENT, m) for m in member_keys(obj["actor"]))
        inner = obj["object"]
        inner_type = inner.get("objectType", "Activity")
        if inner_type == "Activity":
            relations.append((StatementRelation.ACTIVITY, fit(inner["id"])))
        elif inner_type in ("Agent", "Group"):
            relations.append((StatementRelation.AGENT, agent_key(inner)))
            relations.extend((StatementRelation.AGENT, m) for m in member_keys(inner))
        _context_relations(obj.get("context"), relations)
    return [(kind, key) for kind, key in dict.fromkeys(relations) if key]


def prepare(raw, *, stored_iso: str, stored, uscc: str, path: str = "statement") -> Prepared:
    given_moment = validate_statement(raw, path)
    statement = raw
    statement_id = statement.get("id")
    statement_id = statement_id.lower() if statement_id else str(uuid.uuid4())
    given = statement.get("timestamp")
    timestamp = given_moment if given_moment is not None else stored
    payload = dict(statement)
    payload["id"] = statement_id
    payload["stored"] = stored_iso
    payload["authority"] = authority_for(uscc)
    payload.setdefault("version", "1.0.0")
    if given is None:
        payload["timestamp"] = stored_iso
    obj = statement["object"]
    voids = obj["id"].lower() if statement["verb"]["id"] == VOIDED_VERB else None
    return Prepared(
        statement_id=statement_id,
        payload=payload,
        timestamp=timestamp,
        given_timestamp=iso(timestamp) if given else None,
        relations=relations_of(statement),
        voids=voids,
    )


def _same(stored_payload: dict, incoming: Prepared) -> bool:
    stored_ts = stored_payload.get("timestamp")
    if incoming.given_timestamp is None:
        left = comparable(stored_payload, None)
    else:
        left = comparable(stored_payload, iso(parse_timestamp(stored_ts, "timestamp")))
    return left == comparable(incoming.payload, incoming.given_timestamp)


def check_attachment_parts(prepared: list[Prepared], parts: dict[str, tuple[str, bytes]]) -> None:
    """Every attachment without a fileUrl must come as a part, and every part must be declared."""
    declared = set()
    for item in prepared:
        for index, attachment in enumerate(item.payload.get("attachments") or []):
            sha2 = attachment["sha2"].lower()
            declared.add(sha2)
            if "fileUrl" not in attachment and sha2 not in parts:
                raise XAPIError(
                    f"statement.attachments[{index}]",
                    "附件缺少内容部分（multipart/mixed）",
                    "has no fileUrl and no matching multipart part",
                )
            if attachment["usageType"] == SIGNATURE_USAGE and sha2 in parts:
                from haihe.xapi.signatures import check_signature

                check_signature(item, parts[sha2], attachment)
    for sha2 in parts:
        if sha2 not in declared:
            raise XAPIError(
                "X-Experience-API-Hash",
                "该部分未在任何语句的 attachments 中声明",
                "a part is not declared by any statement's attachments",
            )


def store_statements(principal, raws: list, parts: dict | None = None) -> list[str]:
    """Validate and store a batch for the principal's platform; returns the statement ids."""
    if not principal.can_write:
        raise XAPIError(
            "Authorization", "仅线上培训平台可写入", "only a platform may write", status=403
        )
    if not raws:
        raise XAPIError("statements", "批次为空", "the batch is empty")
    now = clock.real_now()
    # Millisecond precision, as in the payload, so that `since=<a returned stored>` excludes it.
    stored = now.replace(microsecond=now.microsecond // 1000 * 1000)
    stored_iso = iso(stored)
    prepared = []
    for index, raw in enumerate(raws):
        path = "statement" if len(raws) == 1 else f"statements[{index}]"
        prepared.append(
            prepare(
                raw, stored_iso=stored_iso, stored=stored, uscc=principal.platform_uscc, path=path
            )
        )
    ids = [p.statement_id for p in prepared]
    if len(set(ids)) != len(ids):
        raise XAPIError("statements", "批次中有重复的语句 id", "the batch repeats a statement id")
    check_attachment_parts(prepared, parts or {})
    for attempt in (1, 2):
        try:
            return _write(principal, prepared, parts or {}, stored)
        except IntegrityError:
            if attempt == 2:
                raise XAPIError(
                    "statements",
                    "并发写入冲突，请重试",
                    "concurrent write conflict, retry",
                    status=409,
                ) from None
    return ids  # pragma: no cover


def _write(principal, prepared: list[Prepared], parts: dict, stored) -> list[str]:
    platform_id = principal.platform_id
    with transaction.atomic():
        existing = _existing([p.statement_id for p in prepared])
        new, resent = [], []
        for item in prepared:
            found = existing.get(item.statement_id)
            if found is None:
                new.append(item)
            elif found[1] != platform_id or not _same(found[2], item):
                raise XAPIError(
                    f"statement {item.statement_id}",
                    "已存储同一 id 但内容不同的语句（语句不可更改）",
                    "a different statement with this id is already stored (statements are "
                    "immutable)",
                    status=409,
                )
            else:
                resent.append(found[0])
        targets = {item.voids for item in new if item.voids}
        pks = insert_rows(new, platform_id, principal.credential_id, stored)
        if targets:
            # A voiding statement is never voided (xAPI 1.0.3 Part Two 2.3.2): one aimed at
            # another voiding statement is stored and has no effect (the conformance suite's
            # XAPI-00016/00018 expect it accepted).
            Statement.objects.filter(
                platform_id=platform_id, statement_id__in=list(targets)
            ).exclude(verb_id=VOIDED_VERB).update(voided=True)
        if parts:
            known = set(
                Attachment.objects.filter(sha2__in=list(parts)).values_list("sha2", flat=True)
            )
            Attachment.objects.bulk_create(
                [
                    Attachment(sha2=sha2, content_type=ctype, content=content)
                    for sha2, (ctype, content) in parts.items()
                    if sha2 not in known
                ]
            )
        # inside the transaction: what the receivers record commits with the statements
        if pks:
            statements_stored.send(sender=Statement, platform_id=platform_id, statement_pks=pks)
        if resent:
            statements_resent.send(sender=Statement, platform_id=platform_id, statement_pks=resent)
    return [item.statement_id for item in prepared]


def _existing(statement_ids: list[str]) -> dict[str, tuple[int, int, dict]]:
    """{statement_id: (pk, platform_id, payload)} of the ids already stored (raw SQL: the ORM's
    per-value UUID preparation was a third of a batch's time)."""
    sqlite = connection.vendor == "sqlite"
    table = connection.ops.quote_name(Statement._meta.db_table)
    found = {}
    with connection.cursor() as cursor:
        for start in range(0, len(statement_ids), CHUNK):
            chunk = statement_ids[start : start + CHUNK]
            params = [i.replace("-", "") for i in chunk] if sqlite else chunk
            marks = ", ".join(["%s"] * len(chunk) if sqlite else ["%s::uuid"] * len(chunk))
            cursor.execute(
                f"SELECT statement_id, id, platform_id, payload FROM {table} "  # noqa: S608
                f"WHERE statement_id IN ({marks})",
                params,
            )
            for statement_id, pk, platform_id, payload in cursor.fetchall():
                if isinstance(payload, str | bytes):
                    payload = orjson.loads(payload)
                found[str(uuid.UUID(str(statement_id)))] = (pk, platform_id, payload)
    return found


STATEMENT_COLUMNS = (
    "statement_id",
    "platform_id",
    "credential_id",
    "registration",
    "verb_id",
    "activity_id",
    "actor_key",
    "object_agent_key",
    "object_statement_id",
    "timestamp",
    "stored",
    "voided",
    "payload",
    "actor_hash",
    "activity_hash",
    "registration_hash",
)
CHUNK = 500


def insert_rows(new: list[Prepared], platform_id: int, credential_id, stored) -> list[int]:
    """Multi-row INSERT … RETURNING without building model instances: the ORM's per-field
    preparation cost more than everything else in a batch. Values are adapted here the way
    Django stores them (SQLite: UUIDs as 32 hex digits, datetimes as UTC text)."""
    if not new:
        return []
    vendor = connection.vendor
    ops = connection.ops
    if vendor == "sqlite":

        def as_uuid(value):
            return value.replace("-", "") if value else None

        def as_datetime(value):
            return ops.adapt_datetimefield_value(value)

        placeholder = "(" + ", ".join(["%s"] * len(STATEMENT_COLUMNS)) + ")"
    else:

        def as_uuid(value):
            return value or None

        def as_datetime(value):
            return value

        marks = ["%s"] * len(STATEMENT_COLUMNS)
        marks[0] = marks[3] = marks[8] = "%s::uuid"
        marks[STATEMENT_COLUMNS.index("payload")] = "%s::jsonb"
        placeholder = "(" + ", ".join(marks) + ")"
    table = connection.ops.quote_name(Statement._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in STATEMENT_COLUMNS)
    stored_db = as_datetime(stored)
    by_id: dict[str, int] = {}
    relations = []
    with connection.cursor() as cursor:
        for start in range(0, len(new), CHUNK):
            chunk = new[start : start + CHUNK]
            params = []
            for item in chunk:
                row = item.columns()
                params += (
                    as_uuid(item.statement_id),
                    platform_id,
                    credential_id,
                    as_uuid(row["registration"]),
                    row["verb_id"],
                    row["activity_id"],
                    row["actor_key"],
                    row["object_agent_key"],
                    as_uuid(row["object_statement_id"]),
                    as_datetime(item.timestamp),
                    stored_db,
                    False,
                    orjson.dumps(item.payload).decode(),
                    row["actor_hash"],
                    row["activity_hash"],
                    row["registration_hash"],
                )
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 (names from _meta)
                + ", ".join([placeholder] * len(chunk))
                + " RETURNING id, statement_id",
                params,
            )
            for pk, statement_id in cursor.fetchall():
                by_id[str(statement_id).replace("-", "")] = pk
        pks = [by_id[item.statement_id.replace("-", "")] for item in new]
        for pk, item in zip(pks, new, strict=True):
            relations += [(pk, kind, key) for kind, key in item.relations]
        rel_table = connection.ops.quote_name(StatementRelation._meta.db_table)
        for start in range(0, len(relations), CHUNK * 2):
            chunk = relations[start : start + CHUNK * 2]
            cursor.execute(
                f"INSERT INTO {rel_table} (statement_id, kind, key) VALUES "  # noqa: S608
                + ", ".join(["(%s, %s, %s)"] * len(chunk)),
                [value for triple in chunk for value in triple],
            )
    return pks
