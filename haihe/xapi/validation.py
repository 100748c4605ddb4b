"""Validation of xAPI 1.0.3 statements and parameters (the MUSTs of Part Two, "Data").

Every violation raises `XAPIError` naming the property path and the rule, in Chinese and English;
the views turn it into a 400. Written as plain functions over the parsed JSON (no schema library)
because it runs for every statement of every batch.
"""

import datetime
import re

from haihe.xapi.errors import XAPIError

VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"

# An absolute IRI: a scheme, a colon and something without white space.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
_SHA2 = re.compile(r"^[0-9a-fA-F]{64}$|^[0-9a-fA-F]{56}$|^[0-9a-fA-F]{96}$|^[0-9a-fA-F]{128}$")
# RFC 5646 language tag (well-formedness; grandfathered/irregular tags are not needed here).
_LANGTAG = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"  # language (+ extlang)
    r"(?:-[A-Za-z]{4})?"  # script
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"  # region
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"  # variants
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"  # extensions
    r"(?:-[xX](?:-[A-Za-z0-9]{1,8})+)?$"  # private use
    r"|^[xX](?:-[A-Za-z0-9]{1,8})+$"
)
# ISO 8601 date-time, extended or basic format; the offset -00, -0000 and -00:00 is refused
# (RFC 3339's "unknown local offset" is not a time zone).
_TIMESTAMP = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2}|\d{8})T"
    r"(?P<time>\d{2}(?::?\d{2}(?::?\d{2}(?:[.,]\d+)?)?)?)"
    r"(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_DURATION = re.compile(
    r"^P(?=\d|T\d)(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?=\d)(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$"
    r"|^P\d+(?:[.,]\d+)?W$"
)

STATEMENT_KEYS = frozenset(
    {
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    }
)
SUBSTATEMENT_KEYS = frozenset(
    {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
)
AGENT_KEYS = frozenset({"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"})
GROUP_KEYS = AGENT_KEYS | {"member"}
IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")
VERB_KEYS = frozenset({"id", "display"})
ACTIVITY_KEYS = frozenset({"objectType", "id", "definition"})
DEFINITION_KEYS = frozenset(
    {
        "name",
        "description",
        "type",
        "moreInfo",
        "extensions",
        "interactionType",
        "correctResponsesPattern",
        "choices",
        "scale",
        "source",
        "target",
        "steps",
    }
)
INTERACTION_TYPES = frozenset(
    {
        "true-false",
        "choice",
        "fill-in",
        "long-fill-in",
        "matching",
        "performance",
        "sequencing",
        "likert",
        "numeric",
        "other",
    }
)
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
RESULT_KEYS = frozenset({"score", "success", "completion", "response", "duration", "extensions"})
SCORE_KEYS = frozenset({"scaled", "raw", "min", "max"})
CONTEXT_KEYS = frozenset(
    {
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    }
)
CONTEXT_ACTIVITY_KEYS = frozenset({"parent", "grouping", "category", "other"})
ATTACHMENT_KEYS = frozenset(
    {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
)
STATEMENT_REF_KEYS = frozenset({"objectType", "id"})


def _type_name(value) -> str:
    return type(value).__name__


def check_object(value, path: str) -> dict:
    if not isinstance(value, dict):
        raise XAPIError(path, "须为 JSON 对象", "must be a JSON object")
    return value


def check_keys(value: dict, allowed: frozenset, path: str) -> None:
    for key, item in value.items():
        if key not in allowed:
            raise XAPIError(
                f"{path}.{key}", "不是本规范允许的属性", "is not a property allowed here"
            )
        if item is None:
            raise XAPIError(f"{path}.{key}", "不得为 null", "must not be null")


def check_string(value, path: str, *, empty_ok: bool = True) -> str:
    if not isinstance(value, str):
        raise XAPIError(path, "须为字符串", "must be a string")
    if not empty_ok and not value:
        raise XAPIError(path, "不得为空字符串", "must not be empty")
    return value


def check_bool(value, path: str) -> bool:
    if not isinstance(value, bool):
        raise XAPIError(path, "须为布尔值 true/false", "must be a boolean")
    return value


def check_number(value, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise XAPIError(path, "须为数值", "must be a number")
    return value


def check_iri(value, path: str) -> str:
    if not isinstance(value, str) or not _IRI.match(value):
        raise XAPIError(path, "须为带协议的绝对 IRI", "must be an absolute IRI with a scheme")
    return value


def check_uuid(value, path: str) -> str:
    if not isinstance(value, str) or not _UUID.match(value):
        raise XAPIError(path, "须为 UUID（8-4-4-4-12 十六进制）", "must be a UUID")
    return value


def is_uuid(value) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def _repeats_subtag(tag: str) -> bool:
    """RFC 5646 2.2.5/2.2.6: a variant or an extension singleton may appear only once in a tag
    (the private-use part after ``x`` is free-form)."""
    seen_variants, seen_singletons = set(), set()
    subtags = tag.lower().split("-")
    for i, sub in enumerate(subtags):
        if sub == "x":
            break
        if len(sub) == 1:
            if sub in seen_singletons:
                return True
            seen_singletons.add(sub)
        elif (
            not seen_singletons
            and i > 0
            and (len(sub) >= 5 or (len(sub) == 4 and sub[0].isdigit()))
        ):
            if sub in seen_variants:
                return True
            seen_variants.add(sub)
    return False


def check_language_tag(value, path: str) -> str:
    if not isinstance(value, str) or not _LANGTAG.match(value) or _repeats_subtag(value):
        raise XAPIError(path, "须为 RFC 5646 语言标记", "must be an RFC 5646 language tag")
    return value


def check_language_map(value, path: str) -> dict:
    check_object(value, path)
    for tag, text in value.items():
        check_language_tag(tag, f"{path}.{tag}")
        if not isinstance(text, str):
            raise XAPIError(f"{path}.{tag}", "语言映射的值须为字符串", "must be a string")
    return value


def check_extensions(value, path: str) -> dict:
    check_object(value, path)
    for key in value:
        check_iri(key, f"{path}.{key}")
    return value


def parse_timestamp(value, path: str) -> datetime.datetime:
    """An ISO 8601 date-time as an aware datetime (UTC when no offset is given)."""
    if not isinstance(value, str):
        raise XAPIError(path, "须为 ISO 8601 时间字符串", "must be an ISO 8601 timestamp string")
    match = _TIMESTAMP.match(value)
    if not match:
        raise XAPIError(path, "不是 ISO 8601 时间", "is not an ISO 8601 timestamp")
    date, time, tz = match.group("date", "time", "tz")
    if tz and tz[1:].replace(":", "").strip("0") == "" and tz[0] == "-":
        raise XAPIError(path, "时区偏移不得为 -00:00", "offset -00, -0000 and -00:00 are refused")
    if tz and len(date) == 10 and len(time) >= 8 and "," not in time:
        try:  # the common extended form, parsed in C
            return datetime.datetime.fromisoformat(value).astimezone(datetime.UTC)
        except ValueError:
            pass  # e.g. more than six fractional digits: parsed below
    date = date.replace("-", "")
    fraction = ""
    if "." in time or "," in time:
        time, fraction = re.split(r"[.,]", time)
    time = time.replace(":", "").ljust(6, "0")
    try:
        moment = datetime.datetime(
            int(date[:4]),
            int(date[4:6]),
            int(date[6:8]),
            int(time[:2]),
            int(time[2:4]),
            int(time[4:6]),
            int((fraction + "000000")[:6]),
        )
        if tz is None or tz == "Z":
            offset = datetime.timedelta(0)
        else:
            digits = tz[1:].replace(":", "").ljust(4, "0")
            offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            if tz[0] == "-":
                offset = -offset
        return moment.replace(tzinfo=datetime.timezone(offset)).astimezone(datetime.UTC)
    except (ValueError, OverflowError) as exc:
        raise XAPIError(path, "不是有效的日期时间", "is not a valid date and time") from exc


def check_duration(value, path: str) -> str:
    if not isinstance(value, str) or not _DURATION.match(value):
        raise XAPIError(path, "须为 ISO 8601 时长（如 PT1H30M）", "must be an ISO 8601 duration")
    return value


def check_agent(value, path: str, *, object_type_required: bool = False) -> dict:
    check_object(value, path)
    object_type = value.get("objectType")
    if object_type == "Group":
        return check_group(value, path)
    if object_type is None and object_type_required:
        raise XAPIError(f"{path}.objectType", "须注明 objectType", "objectType is required here")
    if object_type not in (None, "Agent"):
        raise XAPIError(f"{path}.objectType", "须为 Agent 或 Group", "must be Agent or Group")
    check_keys(value, AGENT_KEYS, path)
    if "name" in value:
        check_string(value["name"], f"{path}.name")
    if _check_ifis(value, path) != 1:
        raise XAPIError(
            path,
            "须恰有一个反向函数标识（mbox、mbox_sha1sum、openid、account）",
            "must have exactly one inverse functional identifier",
        )
    return value


def check_group(value, path: str) -> dict:
    check_keys(value, GROUP_KEYS, path)
    if "name" in value:
        check_string(value["name"], f"{path}.name")
    ifis = _check_ifis(value, path)
    if ifis > 1:
        raise XAPIError(path, "群组至多有一个反向函数标识", "a Group has at most one identifier")
    members = value.get("member")
    if members is None:
        if ifis == 0:
            raise XAPIError(
                f"{path}.member", "匿名群组须列出成员", "an anonymous Group must list its members"
            )
        return value
    if not isinstance(members, list):
        raise XAPIError(f"{path}.member", "须为数组", "must be an array")
    if ifis == 0 and not members:
        raise XAPIError(f"{path}.member", "匿名群组须有成员", "an anonymous Group needs members")
    for index, member in enumerate(members):
        check_object(member, f"{path}.member[{index}]")
        if member.get("objectType") == "Group":
            raise XAPIError(
                f"{path}.member[{index}]",
                "群组成员不得为群组",
                "a Group member must not be a Group",
            )
        check_agent(member, f"{path}.member[{index}]")
    return value


def _check_ifis(value: dict, path: str) -> int:
    count = 0
    if "mbox" in value:
        count += 1
        mbox = value["mbox"]
        if not isinstance(mbox, str) or not mbox.startswith("mailto:") or "@" not in mbox:
            raise XAPIError(f"{path}.mbox", "须为 mailto: IRI", "must be a mailto: IRI")
        check_iri(mbox, f"{path}.mbox")
    if "mbox_sha1sum" in value:
        count += 1
        if not isinstance(value["mbox_sha1sum"], str) or not _SHA1.match(value["mbox_sha1sum"]):
            raise XAPIError(
                f"{path}.mbox_sha1sum", "须为 40 位十六进制 SHA1", "must be a hex SHA1 digest"
            )
    if "openid" in value:
        count += 1
        check_iri(value["openid"], f"{path}.openid")
    if "account" in value:
        count += 1
        account = check_object(value["account"], f"{path}.account")
        check_keys(account, frozenset({"homePage", "name"}), f"{path}.account")
        if "homePage" not in account or "name" not in account:
            raise XAPIError(
                f"{path}.account", "须有 homePage 和 name", "must have homePage and name"
            )
        check_iri(account["homePage"], f"{path}.account.homePage")
        check_string(account["name"], f"{path}.account.name", empty_ok=False)
    return count


def check_verb(value, path: str) -> dict:
    check_object(value, path)
    check_keys(value, VERB_KEYS, path)
    if "id" not in value:
        raise XAPIError(f"{path}.id", "动词须有 id", "a Verb needs an id")
    check_iri(value["id"], f"{path}.id")
    if "display" in value:
        check_language_map(value["display"], f"{path}.display")
    return value


def check_activity(value, path: str) -> dict:
    check_object(value, path)
    check_keys(value, ACTIVITY_KEYS, path)
    if value.get("objectType", "Activity") != "Activity":
        raise XAPIError(f"{path}.objectType", "须为 Activity", "must be Activity")
    if "id" not in value:
        raise XAPIError(f"{path}.id", "活动须有 id", "an Activity needs an id")
    check_iri(value["id"], f"{path}.id")
    if "definition" in value:
        check_definition(value["definition"], f"{path}.definition")
    return value


def check_definition(value, path: str) -> dict:
    check_object(value, path)
    check_keys(value, DEFINITION_KEYS, path)
    for key in ("name", "description"):
        if key in value:
            check_language_map(value[key], f"{path}.{key}")
    if "type" in value:
        check_iri(value["type"], f"{path}.type")
    if "moreInfo" in value:
        check_iri(value["moreInfo"], f"{path}.moreInfo")
    if "extensions" in value:
        check_extensions(value["extensions"], f"{path}.extensions")
    interaction = value.get("interactionType")
    # An object or array is unhashable: test the type before the set membership (was a 500).
    if interaction is not None and (
        not isinstance(interaction, str) or interaction not in INTERACTION_TYPES
    ):
        raise XAPIError(
            f"{path}.interactionType", "不是规定的交互类型", "is not an interaction type"
        )
    if "correctResponsesPattern" in value:
        if interaction is None:
            raise XAPIError(
                f"{path}.correctResponsesPattern",
                "须同时给出 interactionType",
                "requires interactionType",
            )
        pattern = value["correctResponsesPattern"]
        if not isinstance(pattern, list):
            raise XAPIError(f"{path}.correctResponsesPattern", "须为数组", "must be an array")
        for index, item in enumerate(pattern):
            check_string(item, f"{path}.correctResponsesPattern[{index}]")
    for key in COMPONENT_LISTS:
        if key not in value:
            continue
        if interaction is None:
            raise XAPIError(
                f"{path}.{key}", "须同时给出 interactionType", "requires interactionType"
            )
        components = value[key]
        if not isinstance(components, list):
            raise XAPIError(f"{path}.{key}", "须为数组", "must be an array")
        seen = set()
        for index, component in enumerate(components):
            where = f"{path}.{key}[{index}]"
            check_object(component, where)
            check_keys(component, frozenset({"id", "description"}), where)
            component_id = check_string(component.get("id"), f"{where}.id", empty_ok=False)
            if component_id in seen:
                raise XAPIError(
                    f"{where}.id", "交互组件 id 重复", "interaction component ids repeat"
                )
            seen.add(component_id)
            if "description" in component:
                check_language_map(component["description"], f"{where}.description")
    return value


def check_statement_ref(value, path: str) -> dict:
    check_keys(value, STATEMENT_REF_KEYS, path)
    if value.get("objectType") != "StatementRef":
        raise XAPIError(f"{path}.objectType", "须为 StatementRef", "must be StatementRef")
    check_uuid(value.get("id"), f"{path}.id")
    return value


def check_object_property(value, path: str, *, in_substatement: bool = False) -> dict:
    check_object(value, path)
    object_type = value.get("objectType", "Activity")
    if object_type == "Activity":
        return check_activity(value, path)
    if object_type == "Agent":
        return check_agent(value, path, object_type_required=True)
    if object_type == "Group":
        return check_group(value, path)
    if object_type == "StatementRef":
        return check_statement_ref(value, path)
    if object_type == "SubStatement":
        if in_substatement:
            raise XAPIError(path, "子语句不得嵌套子语句", "a SubStatement must not contain one")
        return check_substatement(value, path)
    raise XAPIError(f"{path}.objectType", "不是规定的对象类型", "is not an object type")


def check_result(value, path: str) -> dict:
    check_object(value, path)
    check_keys(value, RESULT_KEYS, path)
    if "score" in value:
        score = check_object(value["score"], f"{path}.score")
        check_keys(score, SCORE_KEYS, f"{path}.score")
        for key in score:
            check_number(score[key], f"{path}.score.{key}")
        if "scaled" in score and not -1 <= score["scaled"] <= 1:
            raise XAPIError(f"{path}.score.scaled", "须在 -1 与 1 之间", "must be between -1 and 1")
        low, high = score.get("min"), score.get("max")
        if low is not None and high is not None and not low < high:
            raise XAPIError(f"{path}.score", "min 须小于 max", "min must be less than max")
        raw = score.get("raw")
        if raw is not None and low is not None and raw < low:
            raise XAPIError(f"{path}.score.raw", "不得小于 min", "must not be less than min")
        if raw is not None and high is not None and raw > high:
            raise XAPIError(f"{path}.score.raw", "不得大于 max", "must not be greater than max")
    for key in ("success", "completion"):
        if key in value:
            check_bool(value[key], f"{path}.{key}")
    if "response" in value:
        check_string(value["response"], f"{path}.response")
    if "duration" in value:
        check_duration(value["duration"], f"{path}.duration")
    if "extensions" in value:
        check_extensions(value["extensions"], f"{path}.extensions")
    return value


def check_context(value, path: str, object_type: str) -> dict:
    check_object(value, path)
    check_keys(value, CONTEXT_KEYS, path)
    if "registration" in value:
        check_uuid(value["registration"], f"{path}.registration")
    if "instructor" in value:
        check_agent(value["instructor"], f"{path}.instructor")
    if "team" in value:
        team = check_object(value["team"], f"{path}.team")
        if team.get("objectType") != "Group":
            raise XAPIError(f"{path}.team", "须为群组（Group）", "must be a Group")
        check_group(team, f"{path}.team")
    if "contextActivities" in value:
        activities = check_object(value["contextActivities"], f"{path}.contextActivities")
        check_keys(activities, CONTEXT_ACTIVITY_KEYS, f"{path}.contextActivities")
        for key, item in activities.items():
            where = f"{path}.contextActivities.{key}"
            if isinstance(item, list):
                for index, activity in enumerate(item):
                    check_activity(activity, f"{where}[{index}]")
            else:
                check_activity(item, where)
                # A single ContextActivity is kept (and so returned) as an array of one
                # (xAPI 1.0.3 Part Two 2.4.6.2: the LRS returns ContextActivities as arrays).
                activities[key] = [item]
    for key in ("revision", "platform"):
        if key in value:
            check_string(value[key], f"{path}.{key}")
            if object_type != "Activity":
                raise XAPIError(
                    f"{path}.{key}",
                    "仅当对象为活动时可用",
                    "may only be used when the object is an Activity",
                )
    if "language" in value:
        check_language_tag(value["language"], f"{path}.language")
    if "statement" in value:
        check_statement_ref(check_object(value["statement"], f"{path}.statement"), path)
    if "extensions" in value:
        check_extensions(value["extensions"], f"{path}.extensions")
    return value


def check_attachments(value, path: str) -> list:
    if not isinstance(value, list):
        raise XAPIError(path, "须为数组", "must be an array")
    for index, attachment in enumerate(value):
        where = f"{path}[{index}]"
        check_object(attachment, where)
        check_keys(attachment, ATTACHMENT_KEYS, where)
        for key in ("usageType", "display", "contentType", "length", "sha2"):
            if key not in attachment:
                raise XAPIError(f"{where}.{key}", "为必填属性", "is required")
        check_iri(attachment["usageType"], f"{where}.usageType")
        check_language_map(attachment["display"], f"{where}.display")
        if "description" in attachment:
            check_language_map(attachment["description"], f"{where}.description")
        check_string(attachment["contentType"], f"{where}.contentType", empty_ok=False)
        length = attachment["length"]
        if isinstance(length, bool) or not isinstance(length, int) or length < 0:
            raise XAPIError(f"{where}.length", "须为非负整数", "must be a non-negative integer")
        if not isinstance(attachment["sha2"], str) or not _SHA2.match(attachment["sha2"]):
            raise XAPIError(
                f"{where}.sha2", "须为 SHA-2 十六进制摘要", "must be a SHA-2 hex digest"
            )
        if "fileUrl" in attachment:
            check_iri(attachment["fileUrl"], f"{where}.fileUrl")
    return value


def _check_core(value: dict, path: str, *, in_substatement: bool) -> datetime.datetime | None:
    for key in ("actor", "verb", "object"):
        if key not in value:
            raise XAPIError(f"{path}.{key}", "为必填属性", "is required")
    check_agent(value["actor"], f"{path}.actor")
    check_verb(value["verb"], f"{path}.verb")
    obj = check_object_property(value["object"], f"{path}.object", in_substatement=in_substatement)
    if "result" in value:
        check_result(value["result"], f"{path}.result")
    if "context" in value:
        check_context(value["context"], f"{path}.context", obj.get("objectType", "Activity"))
    timestamp = None
    if "timestamp" in value:
        timestamp = parse_timestamp(value["timestamp"], f"{path}.timestamp")
    if "attachments" in value:
        check_attachments(value["attachments"], f"{path}.attachments")
    return timestamp


def check_substatement(value: dict, path: str) -> dict:
    for key in ("id", "stored", "version", "authority"):
        if key in value:
            raise XAPIError(
                f"{path}.{key}", "子语句不得有此属性", "is not allowed in a SubStatement"
            )
    check_keys(value, SUBSTATEMENT_KEYS, path)
    _check_core(value, path, in_substatement=True)
    return value


def check_statement(value, path: str = "statement") -> dict:
    """Validate one statement; returns it unchanged. Raises `XAPIError` on the first violation."""
    validate_statement(value, path)
    return value


def validate_statement(value, path: str = "statement") -> datetime.datetime | None:
    """Validate one statement; returns its timestamp (UTC) or None when it has none."""
    check_object(value, path)
    check_keys(value, STATEMENT_KEYS, path)
    if "id" in value:
        check_uuid(value["id"], f"{path}.id")
    timestamp = _check_core(value, path, in_substatement=False)
    if "stored" in value:
        parse_timestamp(value["stored"], f"{path}.stored")
    if "authority" in value:
        authority = check_agent(value["authority"], f"{path}.authority")
        if authority.get("objectType") == "Group":
            # Only the 3-legged OAuth form is allowed: an anonymous Group of exactly two Agents
            # (xAPI 1.0.3 Part Two 2.4.9).
            members = authority.get("member") or []
            if any(key in authority for key in IFI_KEYS) or len(members) != 2:
                raise XAPIError(
                    f"{path}.authority",
                    "群组授权须为恰有两名成员的匿名群组（OAuth 三方授权）",
                    "a Group authority must be an anonymous Group of exactly two Agents "
                    "(3-legged OAuth)",
                )
    if "version" in value:
        version = check_string(value["version"], f"{path}.version")
        if not re.match(r"^1\.0(\.\d+)?$", version):
            raise XAPIError(f"{path}.version", "须为 1.0.x", "must be 1.0.x")
    if value["verb"]["id"] == VOIDED_VERB and value["object"].get("objectType") != "StatementRef":
        raise XAPIError(
            f"{path}.object",
            "作废语句的对象须为 StatementRef",
            "a voiding statement needs a StatementRef",
        )
    return timestamp
