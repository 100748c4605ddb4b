"""The xAPI 1.0.3 HTTP interface at /xapi/ (plain Django views; bodies parsed with orjson).

One entry point per resource goes through `_handle`: CORS, the alternate request syntax, the
version header, authentication, then the resource's method; every `XAPIError` becomes a JSON
error with its status and a Chinese + English message.
"""

import hashlib
import re
import uuid
from urllib.parse import parse_qsl

import orjson
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from haihe.xapi import documents, query
from haihe.xapi.auth import authenticate
from haihe.xapi.errors import XAPIError
from haihe.xapi.store import store_statements

VERSION = "1.0.3"
SUPPORTED_VERSIONS = ["1.0.0", "1.0.1", "1.0.2", "1.0.3"]
_VERSION_HEADER = re.compile(r"^1\.0(\.\d+)?$")
ALLOWED_METHODS = "HEAD, GET, POST, PUT, DELETE, OPTIONS"
CORS_HEADERS = (
    "Content-Type, Content-Length, Authorization, If-Match, If-None-Match, "
    "X-Experience-API-Version, Accept-Language"
)
EXPOSED_HEADERS = (
    "ETag, Last-Modified, Cache-Control, Content-Type, Content-Length, WWW-Authenticate, "
    "X-Experience-API-Version, X-Experience-API-Consistent-Through"
)
FORM_HEADERS = (
    "Authorization",
    "X-Experience-API-Version",
    "Content-Type",
    "Content-Length",
    "If-Match",
    "If-None-Match",
    "Accept-Language",
)
_HASHES = {56: hashlib.sha224, 64: hashlib.sha256, 96: hashlib.sha384, 128: hashlib.sha512}


class Call:
    """One xAPI request after the alternate syntax is undone: method, params, headers, body."""

    def __init__(self, request):
        self.request = request
        self.method = request.method.upper()
        self.headers = {name: request.headers.get(name) for name in FORM_HEADERS}
        self.params = dict(request.GET.items())
        self.body = request.body
        if self.method == "POST" and "method" in self.params:
            self._alternate()
        for name, value in self.params.items():
            if "\x00" in name or "\x00" in value:
                raise XAPIError(name, "参数中不得含 NUL 字符", "NUL characters are not allowed")

    def _alternate(self) -> None:
        if set(self.params) != {"method"}:
            raise XAPIError(
                "method",
                "替代请求语法中查询串只能含 method",
                "with the alternate syntax only method may be in the query",
            )
        method = self.params.pop("method").upper()
        if method not in ("GET", "PUT", "POST", "DELETE", "HEAD"):
            raise XAPIError("method", "不是允许的方法", "is not an allowed method")
        content_type = (self.request.headers.get("Content-Type") or "").split(";")[0].strip()
        if content_type != "application/x-www-form-urlencoded":
            raise XAPIError(
                "Content-Type",
                "替代请求语法须为表单编码",
                "the alternate syntax needs application/x-www-form-urlencoded",
            )
        form = dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))
        self.method = method
        # Form fields named like the listed headers act as headers; a real header of the same
        # name wins. The content's type is the form's Content-Type field, else JSON.
        for name in FORM_HEADERS:
            for key in list(form):
                if key.lower() == name.lower():
                    value = form.pop(key)
                    if name == "Content-Type" or not self.headers.get(name):
                        self.headers[name] = value
                    elif self.headers[name] != value:
                        # The form field acts as this header; a real header saying something
                        # else makes the request ambiguous (xAPI 1.0.3 Part Three 1.3).
                        raise XAPIError(
                            name,
                            "表单参数与同名请求头的值不一致",
                            "the form parameter contradicts the header of the same name",
                        )
        if (self.headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
            self.headers["Content-Type"] = "application/json"
        self.body = form.pop("content", "").encode()
        self.params = form

    def header(self, name: str) -> str:
        return self.headers.get(name) or ""


def _cors(request, response: HttpResponse) -> HttpResponse:
    """CORS without credentials: the LRS authenticates with HTTP Basic only (never a cookie),
    so any origin may call it (`*`), or, with HAIHE_XAPI_CORS_ORIGINS, only the listed ones."""
    allowed = settings.HAIHE_XAPI_CORS_ORIGINS
    if not allowed:
        response["Access-Control-Allow-Origin"] = "*"
    else:
        patch_vary_headers(response, ["Origin"])
        origin = request.headers.get("Origin")
        if origin in allowed:
            response["Access-Control-Allow-Origin"] = origin
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Allow-Headers"] = CORS_HEADERS
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    response["X-Experience-API-Version"] = VERSION
    return response


def _json(data, status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(data), status=status, content_type="application/json")


def _error(exc: XAPIError) -> HttpResponse:
    response = _json(exc.as_json(), exc.status)
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Basic realm="xAPI"'
    return response


def _allow(methods) -> str:
    return ", ".join(sorted(methods | {"OPTIONS"}))


READ = frozenset({"GET", "HEAD"})
WRITE = READ | {"PUT", "POST"}
DOCUMENT = WRITE | {"DELETE"}


def _handle(request, handler, *, methods=READ, needs_version: bool = True, needs_auth=True):
    if request.method == "OPTIONS":
        return _cors(request, HttpResponse(status=200))
    head = request.method == "HEAD"
    try:
        if request.method not in methods and not (
            request.method == "POST" and "method" in request.GET
        ):
            raise XAPIError("method", "该资源不支持此方法", "method not allowed", status=405)
        call = Call(request)
        if call.method not in methods:
            raise XAPIError("method", "该资源不支持此方法", "method not allowed", status=405)
        head = head or call.method == "HEAD"
        if call.method == "HEAD":
            call.method = "GET"
        if needs_version:
            version = call.header("X-Experience-API-Version")
            if not version:
                raise XAPIError(
                    "X-Experience-API-Version", "缺少版本头", "the version header is missing"
                )
            if not _VERSION_HEADER.match(version):
                raise XAPIError(
                    "X-Experience-API-Version",
                    "不支持该版本",
                    f"version {version} is not supported",
                )
        # HTTP Basic only: a browser's session cookie never authenticates an xAPI call
        principal = authenticate(call.header("Authorization")) if needs_auth else None
        response = handler(call, principal)
    except XAPIError as exc:
        response = _error(exc)
        if exc.status == 405:
            response["Allow"] = _allow(methods)
    if head:
        response.content = b""
    return _cors(request, response)


# ----- statements ------------------------------------------------------------------------------


def _parse_multipart(body: bytes, content_type: str) -> tuple[bytes, dict]:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        raise XAPIError("Content-Type", "multipart 缺少 boundary", "multipart without boundary")
    boundary = b"--" + match.group(1).encode()
    chunks = body.split(boundary)
    if len(chunks) < 3:
        raise XAPIError("body", "multipart 内容不完整", "incomplete multipart body")
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            raise XAPIError("body", "multipart 部分缺少头部", "a multipart part has no headers")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        parts.append((headers, content))
    if not parts or not parts[0][0].get("content-type", "").startswith("application/json"):
        raise XAPIError(
            "body",
            "第一部分须为 application/json 语句",
            "the first part must be the application/json statements",
        )
    attachments = {}
    for headers, content in parts[1:]:
        declared = headers.get("x-experience-api-hash", "").lower()
        if not declared:
            raise XAPIError(
                "X-Experience-API-Hash",
                "附件部分缺少哈希头",
                "an attachment part lacks X-Experience-API-Hash",
            )
        if headers.get("content-transfer-encoding", "binary").lower() != "binary":
            raise XAPIError("Content-Transfer-Encoding", "须为 binary", "must be binary")
        algorithm = _HASHES.get(len(declared))
        if algorithm is None or algorithm(content).hexdigest() != declared:
            raise XAPIError(
                "X-Experience-API-Hash",
                "附件内容与 SHA-2 哈希不符",
                "the attachment content does not match its SHA-2 hash",
            )
        attachments[declared] = (headers.get("content-type", "application/octet-stream"), content)
    return parts[0][1], attachments


def _statements_body(call) -> tuple[object, dict]:
    content_type = call.header("Content-Type") or call.request.content_type or ""
    kind = content_type.split(";")[0].strip().lower()
    body, parts = call.body, {}
    if kind == "multipart/mixed":
        body, parts = _parse_multipart(body, content_type)
    elif kind != "application/json":
        raise XAPIError(
            "Content-Type",
            "须为 application/json 或 multipart/mixed",
            "must be application/json or multipart/mixed",
        )
    if b"\\u0000" in body:  # PostgreSQL cannot store NUL in text or jsonb
        raise XAPIError("body", "语句中不得含 NUL 字符（\\u0000）", "NUL (\\u0000) is not allowed")
    try:
        return orjson.loads(body), parts
    except orjson.JSONDecodeError as exc:
        raise XAPIError("body", "不是有效的 JSON", "is not valid JSON") from exc


def _multipart_response(data, attachment_rows) -> HttpResponse:
    boundary = uuid.uuid4().hex
    chunks = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode() + orjson.dumps(data)
    ]
    for sha2, ctype, content in attachment_rows:
        chunks.append(
            f"--{boundary}\r\nContent-Type: {ctype}\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {sha2}\r\n\r\n".encode()
            + bytes(content)
        )
    body = b"\r\n".join(chunks) + f"\r\n--{boundary}--".encode()
    return HttpResponse(body, content_type=f"multipart/mixed; boundary={boundary}")


def _with_attachments(data, statements: list[dict]) -> HttpResponse:
    from haihe.xapi.models import Attachment

    wanted = {
        a["sha2"].lower()
        for s in statements
        for a in (s.get("attachments") or []) + (s["object"].get("attachments") or [])
        if isinstance(a, dict) and "sha2" in a
    }
    rows = Attachment.objects.filter(sha2__in=wanted).values_list("sha2", "content_type", "content")
    return _multipart_response(data, list(rows))


def _statements(call, principal) -> HttpResponse:
    if call.method == "GET":
        return _statements_get(call, principal)
    if call.method == "PUT":
        if "statementId" not in call.params:
            raise XAPIError("statementId", "PUT 须给出 statementId", "PUT needs statementId")
        if set(call.params) != {"statementId"}:
            raise XAPIError(
                sorted(set(call.params) - {"statementId"})[0],
                "不是 PUT 的参数",
                "is not a PUT parameter",
            )
        statement_id = query.check_uuid(call.params["statementId"], "statementId").lower()
        statement, parts = _statements_body(call)
        if not isinstance(statement, dict):
            raise XAPIError("body", "PUT 须为单个语句", "PUT takes one statement")
        given = statement.get("id")
        if given is not None and (not isinstance(given, str) or given.lower() != statement_id):
            raise XAPIError(
                "statement.id",
                "与 statementId 参数不一致",
                "differs from the statementId parameter",
            )
        statement = {**statement, "id": statement_id}
        store_statements(principal, [statement], parts)
        return HttpResponse(status=204)
    if call.method == "POST":
        if call.params:
            raise XAPIError(sorted(call.params)[0], "POST 不带查询参数", "POST takes no parameters")
        data, parts = _statements_body(call)
        statements = data if isinstance(data, list) else [data]
        return _json(store_statements(principal, statements, parts))
    raise XAPIError("method", "Statements 资源不支持该方法", "method not allowed", status=405)


def _statements_get(call, principal) -> HttpResponse:
    accept_language = call.header("Accept-Language")
    if "statementId" in call.params or "voidedStatementId" in call.params:
        payload, attachments = query.get_single(principal, call.params)
        data = query.formatted(payload, query.output_format(call.params), accept_language)
        response = _with_attachments(data, [payload]) if attachments else _json(data)
        response["Last-Modified"] = documents.http_date(
            query.parse_timestamp(payload["stored"], "stored")
        )
    else:
        more_url = reverse("xapi:statements")
        params = call.params
        statements, more, attachments = query.query(principal, params, more_url)
        if "more" in params:
            params = query.decode_more(params["more"])["p"]
        fmt = query.output_format(params)
        data = {
            "statements": [query.formatted(s, fmt, accept_language) for s in statements],
            "more": more,
        }
        response = _with_attachments(data, statements) if attachments else _json(data)
    response["X-Experience-API-Consistent-Through"] = query.consistent_through()
    return response


@csrf_exempt
def statements(request):
    response = _handle(request, _statements, methods=WRITE)
    if not response.has_header("X-Experience-API-Consistent-Through"):  # also on errors
        response["X-Experience-API-Consistent-Through"] = query.consistent_through()
    return response


# ----- documents, activities, agents, about ---------------------------------------------------


def _document_handler(resource: str):
    def handler(call, principal) -> HttpResponse:
        if call.method == "GET":
            found = documents.get(principal, resource, call.params)
            if isinstance(found, list):
                return _json(found)
            response = HttpResponse(bytes(found.content), content_type=found.content_type)
            response["ETag"] = f'"{found.etag}"'
            response["Last-Modified"] = documents.http_date(found.updated)
            return response
        if call.method in ("PUT", "POST"):
            documents.put(
                principal,
                resource,
                call.params,
                call.body,
                call.header("Content-Type") or call.request.content_type or "",
                call.headers,
                merge=call.method == "POST",
            )
            return HttpResponse(status=204)
        if call.method == "DELETE":
            documents.delete(principal, resource, call.params, call.headers)
            return HttpResponse(status=204)
        raise XAPIError("method", "该资源不支持此方法", "method not allowed", status=405)

    return handler


@csrf_exempt
def state(request):
    return _handle(request, _document_handler("state"), methods=DOCUMENT)


@csrf_exempt
def activity_profile(request):
    return _handle(request, _document_handler("activity_profile"), methods=DOCUMENT)


@csrf_exempt
def agent_profile(request):
    return _handle(request, _document_handler("agent_profile"), methods=DOCUMENT)


def _activities(call, principal) -> HttpResponse:
    if call.method != "GET":
        raise XAPIError("method", "仅支持 GET", "only GET", status=405)
    if set(call.params) != {"activityId"}:
        raise XAPIError("activityId", "须且仅须给出 activityId", "give activityId only")
    activity_id = query.check_iri(call.params["activityId"], "activityId")
    return _json(query.canonical_activity(principal, activity_id))


def _agents(call, principal) -> HttpResponse:
    if call.method != "GET":
        raise XAPIError("method", "仅支持 GET", "only GET", status=405)
    if set(call.params) != {"agent"}:
        raise XAPIError("agent", "须且仅须给出 agent", "give agent only")
    agent = query.parse_agent_param(call.params["agent"])
    person = {"objectType": "Person"}
    for key in ("name", "mbox", "mbox_sha1sum", "openid", "account"):
        if key in agent:
            person[key] = [agent[key]]
    return _json(person)


@csrf_exempt
def activities(request):
    return _handle(request, _activities)


@csrf_exempt
def agents(request):
    return _handle(request, _agents)


def _about(call, principal) -> HttpResponse:
    if call.method != "GET":
        raise XAPIError("method", "仅支持 GET", "only GET", status=405)
    return _json({"version": SUPPORTED_VERSIONS, "extensions": {}})


@csrf_exempt
def about(request):
    return _handle(request, _about, needs_version=False, needs_auth=False)
