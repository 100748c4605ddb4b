"""The one error shape of the JSON API: RFC 9457 problem details (`application/problem+json`).

Every refusal of /api/v1 is one body:

    {"type": "urn:haihe:problem:invalid-input", "title": "输入有误", "status": 400,
     "detail": "学时应在 0 至 2000 之间。",
     "errors": [{"field": "planned_theory_hours", "message": "学时应在 0 至 2000 之间。",
                 "loc": ["planned_theory_hours"]}]}

in the caller's language (Accept-Language, else the session's language; zh-Hans by default).
Routers never build it: they raise (Django's ValidationError, PermissionDenied, Http404, ...)
and the exception handlers of haihe/api.py turn the exception into this body through the
functions below. `errors` has one entry per field (its messages joined), `field` being the
dotted name of the input (`planned_theory_hours`, `offset`, `lines.0.amount`), null for a
message about the request as a whole."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema

PROBLEM_MEDIA_TYPE = "application/problem+json"
PREFIX = "urn:haihe:problem:"

# status -> (type slug, title); titles are translated when a body is built.
KINDS = {
    400: ("invalid-input", gettext_lazy("输入有误")),
    401: ("unauthenticated", gettext_lazy("需要身份验证")),
    403: ("forbidden", gettext_lazy("无权执行此操作")),
    404: ("not-found", gettext_lazy("未找到")),
    405: ("method-not-allowed", gettext_lazy("不支持该请求方法")),
    409: ("conflict", gettext_lazy("与当前状态冲突")),
    413: ("too-large", gettext_lazy("请求过大")),
    422: ("invalid-parameters", gettext_lazy("参数无效")),
    429: ("too-many-requests", gettext_lazy("请求过于频繁")),
    500: ("server-error", gettext_lazy("服务器内部错误")),
}
# The statuses every operation documents (401 only where a credential is required; 409 on
# writes, which a lifecycle may refuse as not possible now).
DOCUMENTED = (400, 401, 403, 404, 422)
NOT_POSSIBLE_NOW = "not_possible_now"  # core.workflow.TransitionNotPossible's code


class FieldProblem(Schema):
    field: str | None = Field(
        description="the input the message is about (dotted: `lines.0.amount`); null: the "
        "request as a whole"
    )
    message: str = Field(description="in the caller's language")
    loc: list[str | int] = Field(
        description="where the input is: ['query', 'offset'], ['body', 'level'], ['path', 'id']"
    )


class Problem(Schema):
    """RFC 9457 problem details: every error answer of the API."""

    type: str = Field(description="urn:haihe:problem:<kind>, stable for clients to dispatch on")
    title: str = Field(description="the kind of problem, in the caller's language")
    status: int = Field(description="the HTTP status code")
    detail: str = Field(description="what went wrong in this request, in the caller's language")
    errors: list[FieldProblem] = Field(description="one entry per field at fault")


def problem(status: int, detail: str = "", errors: list[dict] | None = None) -> dict:
    slug, title = KINDS.get(status, (f"http-{status}", gettext_lazy("请求失败")))
    return {
        "type": PREFIX + slug,
        "title": str(title),
        "status": status,
        "detail": str(detail or title),
        "errors": errors or [],
    }


def _entry(field: str | None, messages: list[str], loc: list) -> dict:
    return {"field": field, "message": " ".join(str(m) for m in messages), "loc": loc}


def from_django(exc: ValidationError) -> dict:
    """A Django ValidationError (a message, a list, or a {field: [messages]} dict) as a 400;
    a lifecycle step that is not possible now (core.workflow.TransitionNotPossible, code
    "not_possible_now") as a 409 with the reason."""
    errors = []
    if hasattr(exc, "error_dict"):
        general = exc.error_dict.get(NON_FIELD_ERRORS)
        if general:
            errors.append(_entry(None, [m for e in general for m in e.messages], []))
        for field, items in exc.error_dict.items():
            if field == NON_FIELD_ERRORS:
                continue
            errors.append(_entry(field, [m for e in items for m in e.messages], [field]))
    else:
        errors.append(_entry(None, exc.messages, []))
    detail = " ".join(e["message"] for e in errors)
    status = 409 if getattr(exc, "code", None) == NOT_POSSIBLE_NOW else 400
    return problem(status, detail, errors)


# pydantic error types -> a message in the caller's language (ctx values are interpolated).
_PYDANTIC = {
    "missing": gettext_lazy("此项为必填项。"),
    "int_parsing": gettext_lazy("应为整数。"),
    "int_type": gettext_lazy("应为整数。"),
    "int_from_float": gettext_lazy("应为整数。"),
    "float_parsing": gettext_lazy("应为数字。"),
    "float_type": gettext_lazy("应为数字。"),
    "decimal_parsing": gettext_lazy("应为数字。"),
    "decimal_type": gettext_lazy("应为数字。"),
    "finite_number": gettext_lazy("应为有限的数字。"),
    "greater_than": gettext_lazy("应大于 %(gt)s。"),
    "greater_than_equal": gettext_lazy("应大于或等于 %(ge)s。"),
    "less_than": gettext_lazy("应小于 %(lt)s。"),
    "less_than_equal": gettext_lazy("应小于或等于 %(le)s。"),
    "decimal_max_digits": gettext_lazy("数字不能超过 %(max_digits)s 位。"),
    "decimal_max_places": gettext_lazy("小数不能超过 %(decimal_places)s 位。"),
    "decimal_whole_digits": gettext_lazy("整数部分不能超过 %(whole_digits)s 位。"),
    "enum": gettext_lazy("取值无效，可选：%(expected)s。"),
    "literal_error": gettext_lazy("取值无效，可选：%(expected)s。"),
    "string_type": gettext_lazy("应为文本。"),
    "string_too_short": gettext_lazy("至少 %(min_length)s 个字符。"),
    "string_too_long": gettext_lazy("不能超过 %(max_length)s 个字符。"),
    "string_pattern_mismatch": gettext_lazy("格式不正确。"),
    "bool_parsing": gettext_lazy("应为 true 或 false。"),
    "bool_type": gettext_lazy("应为 true 或 false。"),
    "date_parsing": gettext_lazy("应为日期（YYYY-MM-DD）。"),
    "date_type": gettext_lazy("应为日期（YYYY-MM-DD）。"),
    "date_from_datetime_parsing": gettext_lazy("应为日期（YYYY-MM-DD）。"),
    "date_from_datetime_inexact": gettext_lazy("应为日期（YYYY-MM-DD），不含时刻。"),
    "time_parsing": gettext_lazy("应为时间（HH:MM）。"),
    "time_type": gettext_lazy("应为时间（HH:MM）。"),
    "datetime_parsing": gettext_lazy("应为日期时间（ISO 8601）。"),
    "datetime_type": gettext_lazy("应为日期时间（ISO 8601）。"),
    "datetime_from_date_parsing": gettext_lazy("应为日期时间（ISO 8601）。"),
    "uuid_parsing": gettext_lazy("应为 UUID。"),
    "uuid_type": gettext_lazy("应为 UUID。"),
    "list_type": gettext_lazy("应为列表。"),
    "dict_type": gettext_lazy("应为对象。"),
    "model_type": gettext_lazy("应为对象。"),
    "model_attributes_type": gettext_lazy("应为对象。"),
    "too_long": gettext_lazy("不能超过 %(max_length)s 项。"),
    "too_short": gettext_lazy("至少 %(min_length)s 项。"),
    "extra_forbidden": gettext_lazy("不接受此项。"),
    "json_invalid": gettext_lazy("不是有效的 JSON。"),
}


def pydantic_message(error: dict) -> str:
    """A pydantic error in the caller's language; our own validators' messages (value errors
    raised with a translated text) are kept as they are."""
    kind = error.get("type", "")
    if kind in ("value_error", "assertion_error"):
        message = str(error.get("msg", ""))
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
        return message
    template = _PYDANTIC.get(kind)
    if template is None:
        return _("取值无效。")
    ctx = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, str | int | float)}
    if "expected" in ctx:  # "'a', 'b' or 'c'" -> "'a', 'b', 'c'"
        ctx["expected"] = str(ctx["expected"]).replace(" or ", ", ")
    try:
        return str(template) % ctx
    except (KeyError, TypeError, ValueError):
        return _("取值无效。")


def _field_of(loc: tuple) -> str | None:
    """("query", "offset") -> "offset"; ("body", "payload", "level") -> "level"."""
    if not loc:
        return None
    rest = list(loc[1:])
    if rest and (loc[0] == "body" or rest[0] == "filters"):
        rest = rest[1:]  # the view's parameter holding the body (payload) or the filters
    if loc[0] != "body":
        rest = rest[:1]  # parameters are flat: the rest is a union member's tag ("bool")
    return ".".join(str(part) for part in rest) or None


def from_ninja(errors: list[dict]) -> dict:
    """ninja's ValidationError (pydantic errors with their locations) as a 422 naming each field."""
    by_field: dict[str | None, dict] = {}
    for error in errors:
        loc = list(error.get("loc") or ())
        field = _field_of(tuple(loc))
        entry = by_field.setdefault(field, {"field": field, "messages": [], "loc": loc})
        message = pydantic_message(error)
        if message not in entry["messages"]:
            entry["messages"].append(message)
    entries = [_entry(e["field"], e["messages"], e["loc"]) for e in by_field.values()]
    named = [e["field"] for e in entries if e["field"]]
    if named:
        detail = _("以下参数无效：%(fields)s。") % {"fields": ", ".join(named)}
    else:
        detail = " ".join(e["message"] for e in entries)
    return problem(422, detail, entries)
