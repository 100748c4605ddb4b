"""Canonical query keys of agents, IRIs and statements, and the statement comparison rules."""

import hashlib

# Index entries stay small on every database: a longer value is replaced by its digest (the
# query side applies the same function, so matching is unchanged).
MAX_KEY_LENGTH = 512


def key_hash(value: str | None) -> int | None:
    """A 64-bit signed digest of a query key (an agent key, an activity IRI, a registration), the
    column the statement indexes are built on: eight bytes instead of tens, so the indexes that
    every stored statement updates at a random place stay small enough to be cached (see
    docs/xapi-lrs.md, "Storage and speed"). Queries match on the digest and the exact value."""
    if not value:
        return None
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), signed=True)


def fit(value: str) -> str:
    if len(value) <= MAX_KEY_LENGTH:
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def agent_key(agent: dict) -> str:
    """The canonical string of an Agent's or identified Group's inverse functional identifier,
    e.g. ``account:https://platform.example|u123``; a Group's key is prefixed ``group:``; an
    anonymous Group has no key ("")."""
    if "account" in agent:
        account = agent["account"]
        key = f"account:{account['homePage']}|{account['name']}"
    elif "mbox" in agent:
        key = f"mbox:{agent['mbox']}"
    elif "mbox_sha1sum" in agent:
        key = f"mbox_sha1sum:{agent['mbox_sha1sum'].lower()}"
    elif "openid" in agent:
        key = f"openid:{agent['openid']}"
    else:
        return ""
    if agent.get("objectType") == "Group":
        key = "group:" + key
    return fit(key)


# StatementRelation.kind for a member of a Group that is the statement's actor or object: the
# plain `agent` filter matches it (Part Three 2.1.3: "Groups that have members which match the
# specified Agent ... are considered a match"), as does `related_agents`.
MEMBER_RELATION = "m"


def member_keys(agent) -> list[str]:
    """The keys of the members a Group lists (none for an Agent)."""
    if not isinstance(agent, dict) or agent.get("objectType") != "Group":
        return []
    return [agent_key(m) for m in agent.get("member") or [] if isinstance(m, dict)]


def _uuid_lower(container: dict, key: str) -> None:
    if isinstance(container.get(key), str):
        container[key] = container[key].lower()


def _normalise_agent(agent) -> None:
    if not isinstance(agent, dict):
        return
    if isinstance(agent.get("mbox_sha1sum"), str):
        agent["mbox_sha1sum"] = agent["mbox_sha1sum"].lower()
    members = agent.get("member")
    if isinstance(members, list):
        for member in members:
            _normalise_agent(member)
        members.sort(key=lambda m: repr(sorted(m.items())) if isinstance(m, dict) else "")


def _normalise_language_maps(node) -> None:
    if isinstance(node, dict):
        for key in ("display", "name", "description"):
            value = node.get(key)
            if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                node[key] = {k.lower(): v for k, v in value.items()}
        for key, value in node.items():
            if key != "extensions":
                _normalise_language_maps(value)
    elif isinstance(node, list):
        for item in node:
            _normalise_language_maps(item)


def comparable(statement: dict, timestamp_utc: str | None) -> dict:
    """The statement reduced for comparison (xAPI 1.0.3 Part Two 2.3): properties the LRS sets
    (stored, authority, version, id) are dropped, case-insensitive values (UUIDs, hashes,
    language tags) are lower-cased, group members are compared as a set, the timestamp as the
    instant it denotes (`timestamp_utc`, or None when the sender gave none)."""
    import copy

    reduced = copy.deepcopy(statement)
    for key in ("id", "stored", "authority", "version", "timestamp"):
        reduced.pop(key, None)
    if timestamp_utc is not None:
        reduced["timestamp"] = timestamp_utc
    for part in (reduced, reduced.get("object")):
        if not isinstance(part, dict):
            continue
        _normalise_agent(part.get("actor"))
        if part is reduced.get("object") and part.get("objectType") in ("Agent", "Group"):
            _normalise_agent(part)
        if part.get("objectType") == "StatementRef":
            _uuid_lower(part, "id")
        context = part.get("context")
        if isinstance(context, dict):
            _uuid_lower(context, "registration")
            _normalise_agent(context.get("instructor"))
            _normalise_agent(context.get("team"))
            if isinstance(context.get("statement"), dict):
                _uuid_lower(context["statement"], "id")
            if isinstance(context.get("language"), str):
                context["language"] = context["language"].lower()
            activities = context.get("contextActivities")
            if isinstance(activities, dict):
                for key, value in list(activities.items()):
                    if isinstance(value, dict):
                        activities[key] = [value]
        obj = part.get("object")
        if isinstance(obj, dict) and obj.get("objectType") == "StatementRef":
            _uuid_lower(obj, "id")
        if isinstance(obj, dict) and obj.get("objectType") in ("Agent", "Group"):
            _normalise_agent(obj)
        for attachment in part.get("attachments") or []:
            if isinstance(attachment, dict):
                _uuid_lower(attachment, "sha2")
    if isinstance(reduced.get("object"), dict):
        reduced["object"].setdefault("objectType", "Activity")
        inner = reduced["object"].get("object")
        if isinstance(inner, dict):
            inner.setdefault("objectType", "Activity")
    _normalise_language_maps(reduced)
    return reduced
