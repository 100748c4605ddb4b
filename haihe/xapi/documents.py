"""The document resources: State, Activity Profile and Agent Profile (xAPI 1.0.3 Part Three 2.3,
2.6, 2.7), with ETag concurrency. Each platform has its own documents; nobody else sees them."""

import datetime
import hashlib

import orjson
from django.db import IntegrityError, transaction

from haihe.core import clock
from haihe.xapi.errors import XAPIError
from haihe.xapi.keys import agent_key
from haihe.xapi.models import Document
from haihe.xapi.query import parse_agent_param
from haihe.xapi.validation import check_iri, check_uuid, parse_timestamp

# resource -> (kind, required parameters, the id parameter, optional parameters)
RESOURCES = {
    "state": (Document.STATE, ("activityId", "agent"), "stateId", ("registration", "since")),
    "activity_profile": (Document.ACTIVITY_PROFILE, ("activityId",), "profileId", ("since",)),
    "agent_profile": (Document.AGENT_PROFILE, ("agent",), "profileId", ("since",)),
}


def etag_of(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()  # noqa: S324  (the ETag the xAPI specification names)


def _lookup(resource: str, params: dict) -> tuple[dict, str | None]:
    kind, required, id_name, optional = RESOURCES[resource]
    allowed = set(required) | {id_name} | set(optional)
    unknown = set(params) - allowed
    if unknown:
        raise XAPIError(
            sorted(unknown)[0], "不是该资源的参数", "is not a parameter of this resource"
        )
    for name in required:
        if name not in params:
            raise XAPIError(name, "为必填参数", "is a required parameter")
    lookup = {"kind": kind, "activity_id": "", "agent_key": "", "registration": ""}
    if "activityId" in params:
        lookup["activity_id"] = check_iri(params["activityId"], "activityId")
    if "agent" in params:
        lookup["agent_key"] = agent_key(parse_agent_param(params["agent"]))
    if "registration" in params:
        lookup["registration"] = check_uuid(params["registration"], "registration").lower()
    return lookup, params.get(id_name)


def _etags(header: str) -> list[str]:
    return [tag.strip().removeprefix("W/").strip('"') for tag in header.split(",") if tag.strip()]


def _check_preconditions(document, headers: dict, *, put_needs_header: bool) -> None:
    if_match = headers.get("If-Match")
    if_none_match = headers.get("If-None-Match")
    if if_match is not None:
        tags = _etags(if_match)
        if document is None or ("*" not in tags and document.etag not in tags):
            raise XAPIError(
                "If-Match",
                "文档已被修改或不存在（ETag 不符）",
                "the document changed or does not exist (ETag mismatch)",
                status=412,
            )
    if if_none_match is not None and document is not None:
        tags = _etags(if_none_match)
        if "*" in tags or document.etag in tags:
            raise XAPIError(
                "If-None-Match", "文档已存在", "the document already exists", status=412
            )
    if put_needs_header and if_match is None and if_none_match is None:
        # Part Three 3.1: a Client MUST send one of the two headers on a PUT to a profile
        # resource (400 when it does not); for a document that already exists the LRS MUST
        # answer 409 Conflict and leave it unchanged.
        if document is not None:
            raise XAPIError(
                "If-Match",
                "文档已存在：请先取回当前版本，再带 If-Match（当前 ETag）重试",
                "the document already exists: fetch it, then retry with If-Match set to its "
                "current ETag",
                status=409,
            )
        raise XAPIError(
            "If-Match",
            "PUT 档案文档须带 If-Match 或 If-None-Match 头",
            "a PUT to a profile document requires an If-Match or If-None-Match header",
        )


def get(principal, resource: str, params: dict):
    """One document (as the model instance) or the list of ids (with `since`)."""
    lookup, document_id = _lookup(resource, params)
    scope = _scope(principal).filter(**lookup)
    if document_id is not None:
        if "since" in params:
            raise XAPIError("since", "取单个文档时不能用 since", "since is for lists only")
        document = scope.filter(document_id=document_id).first()
        if document is None:
            raise XAPIError(RESOURCES[resource][2], "未找到该文档", "no such document", status=404)
        return document
    if "since" in params:
        scope = scope.filter(updated__gt=parse_timestamp(params["since"], "since"))
    return list(scope.order_by("document_id").values_list("document_id", flat=True))


def _scope(principal):
    return Document.objects.filter(platform_id=principal.platform_id)


def _write_check(principal) -> None:
    if not principal.can_write:
        raise XAPIError(
            "Authorization", "仅线上培训平台可写入", "only a platform may write", status=403
        )


def put(principal, resource, params, content: bytes, content_type: str, headers, *, merge=False):
    _write_check(principal)
    lookup, document_id = _lookup(resource, params)
    if "since" in params:
        raise XAPIError("since", "写入时不能用 since", "since is for reading only")
    if document_id is None:
        raise XAPIError(RESOURCES[resource][2], "为必填参数", "is a required parameter")
    is_json = content_type.split(";")[0].strip().lower() == "application/json"
    if merge and is_json:
        # Part Three 2.2: a POSTed application/json document that is not a JSON object is
        # rejected, whether or not a document is stored yet.
        _json_object(content)
    try:
        with transaction.atomic():
            document = (
                Document.objects.select_for_update()
                .filter(platform_id=principal.platform_id, document_id=document_id, **lookup)
                .first()
            )
            _check_preconditions(
                document, headers, put_needs_header=not merge and resource != "state"
            )
            # POST on a missing document stores it as PUT would (whatever its type); on an
            # existing one both must be JSON objects, merged one level deep.
            if merge and document is not None:
                stored_json = document.content_type.split(";")[0].strip().lower()
                if not is_json or stored_json != "application/json":
                    raise XAPIError(
                        "Content-Type",
                        "合并要求已有文档和新文档都是 application/json",
                        "merging needs both documents to be application/json",
                    )
                merged = _json_object(bytes(document.content))
                merged.update(_json_object(content))
                content = orjson.dumps(merged)
                content_type = "application/json"
            now = clock.real_now()
            if document is None:
                document = Document(
                    platform_id=principal.platform_id, document_id=document_id, **lookup
                )
            document.content = content
            document.content_type = content_type or "application/octet-stream"
            document.etag = etag_of(content)
            document.updated = now
            document.save()
    except IntegrityError as exc:
        raise XAPIError(
            RESOURCES[resource][2],
            "并发写入冲突，请重试",
            "concurrent write conflict, retry",
            status=409,
        ) from exc


def _json_object(content: bytes) -> dict:
    try:
        value = orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        raise XAPIError("body", "不是有效的 JSON", "is not valid JSON") from exc
    if not isinstance(value, dict):
        raise XAPIError("body", "须为 JSON 对象", "must be a JSON object")
    return value


def delete(principal, resource, params, headers) -> None:
    _write_check(principal)
    lookup, document_id = _lookup(resource, params)
    if "since" in params:
        raise XAPIError("since", "删除时不能用 since", "since is for reading only")
    scope = Document.objects.filter(platform_id=principal.platform_id, **lookup)
    with transaction.atomic():
        if document_id is None:
            if resource != "state":
                raise XAPIError(RESOURCES[resource][2], "为必填参数", "is a required parameter")
            scope.delete()
            return
        document = scope.select_for_update().filter(document_id=document_id).first()
        if headers.get("If-Match") is not None or headers.get("If-None-Match") is not None:
            _check_preconditions(document, headers, put_needs_header=False)
        if document is not None:
            document.delete()


def http_date(moment: datetime.datetime) -> str:
    from django.utils.http import http_date as _http_date

    return _http_date(moment.timestamp())
