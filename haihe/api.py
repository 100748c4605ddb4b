"""The JSON API under /api/v1 (django-ninja): token or session authentication, scoped like the
pages (every endpoint goes through the same `visible_to` and perms functions).

One error contract for every router (haihe.core.problems): routers raise, and the exception
handlers below answer RFC 9457 problem details (`application/problem+json`) in the caller's
language — Django's ValidationError 400 (naming each field), AuthenticationError 401,
PermissionDenied 403, Http404 / ObjectDoesNotExist 404, ninja's ValidationError 422 (naming
each parameter), ninja's HttpError its own status, anything else a logged 500. The OpenAPI
document lists those answers with the `Problem` schema on every operation."""

import logging
from http import HTTPStatus

import orjson
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.renderers import BaseRenderer

from haihe.accounts.api_auth import SessionAuth, TokenAuth, allowed
from haihe.core import problems
from haihe.core.problems import DOCUMENTED, PROBLEM_MEDIA_TYPE, Problem

logger = logging.getLogger("haihe.api")
__all__ = ["SessionAuth", "TokenAuth", "allowed", "api", "install_error_contract"]


class OrjsonParser(Parser):
    def parse_body(self, request):
        return orjson.loads(request.body)


class OrjsonRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request, data, *, response_status):
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS, default=str)


class ProblemsOpenAPISchema(OpenAPISchema):
    """ninja's OpenAPI document, with every operation's problem answers (400, 401 where a
    credential is required, 403, 404, 422, and 429 where the operation is throttled) as
    `application/problem+json` bodies of the `Problem` schema."""

    def responses(self, operation):
        result = super().responses(operation)
        schema = self._problem_schema()
        for answer in result.values():  # a router's own Problem answers (429): the same type
            content = answer.get("content", {})
            if content.get("application/json", {}).get("schema") == schema:
                content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
        statuses = [s for s in DOCUMENTED if s != 401 or operation.auth_callbacks]
        if set(operation.methods) - {"GET", "HEAD"}:
            statuses.append(409)
        if getattr(operation, "throttle_objects", None):
            statuses.append(429)
        for status in statuses:
            result.setdefault(
                status,
                {
                    "description": f"{HTTPStatus(status).phrase}: a problem (RFC 9457)",
                    "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}},
                },
            )
        return result

    def _problem_schema(self):
        if not hasattr(self, "_problem_ref"):
            self._problem_ref = self._create_schema_from_model(
                ProblemResponse, mode="serialization"
            )[0]
        return self._problem_ref


class ProblemResponse(Schema):
    response: Problem


class HaiheAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return ProblemsOpenAPISchema(self, path_prefix)


def problem_response(body: dict, **headers) -> HttpResponse:
    response = HttpResponse(
        orjson.dumps(body), status=body["status"], content_type=PROBLEM_MEDIA_TYPE
    )
    response["Content-Language"] = get_language() or "zh-hans"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _invalid(request, exc: ValidationError):
    return problem_response(problems.from_django(exc))


def _invalid_parameters(request, exc: NinjaValidationError):
    return problem_response(problems.from_ninja(exc.errors))


def _unauthenticated(request, exc):
    body = problems.problem(401, _("需要有效的令牌或登录。"))
    return problem_response(body, WWW_Authenticate='Bearer realm="haihe"')


def _forbidden(request, exc: PermissionDenied):
    return problem_response(problems.problem(403, str(exc) or _("您无权执行此操作。")))


def _not_found(request, exc):
    return problem_response(problems.problem(404, _("未找到，或不在您的查看范围内。")))


# ninja's own messages, in the caller's language
_NINJA_MESSAGES = {
    "Cannot parse request body": lambda: _("请求体不是有效的 JSON。"),
    "CSRF check Failed": lambda: _("CSRF 校验失败。"),
    "Too many requests.": lambda: _("请求过于频繁，请稍后再试。"),
}


def _http_error(request, exc: HttpError):
    message = str(exc)
    known = _NINJA_MESSAGES.get(message.split(" (")[0])
    return problem_response(problems.problem(exc.status_code, known() if known else message))


def _server_error(request, exc: Exception):
    logger.exception("unhandled error in %s %s", request.method, request.path, exc_info=exc)
    return problem_response(problems.problem(500, _("服务器内部错误，已记录，请稍后再试。")))


def install_error_contract(target: NinjaAPI) -> None:
    """The exception handlers of the contract, on an API (the project's, or a test's)."""
    target.add_exception_handler(Exception, _server_error)
    target.add_exception_handler(ValidationError, _invalid)
    target.add_exception_handler(NinjaValidationError, _invalid_parameters)
    target.add_exception_handler(HttpError, _http_error)
    target.add_exception_handler(AuthenticationError, _unauthenticated)
    target.add_exception_handler(PermissionDenied, _forbidden)
    target.add_exception_handler(Http404, _not_found)
    target.add_exception_handler(ObjectDoesNotExist, _not_found)


api = HaiheAPI(
    title="Haihe API",
    version="1",
    description="Registry and programme endpoints for organisations' systems. Every error is an "
    "RFC 9457 problem (application/problem+json) in the caller's language (Accept-Language).",
    urls_namespace="api-v1",
    auth=[TokenAuth(), SessionAuth()],
    parser=OrjsonParser(),
    renderer=OrjsonRenderer(),
)
install_error_contract(api)

api.add_router("/registry", "haihe.registry.api.router")
api.add_router("/stats", "haihe.stats.api.router")
api.add_router("/training", "haihe.training.api.router")
api.add_router("/subsidies", "haihe.subsidies.api.router")
api.add_router("/supervision", "haihe.supervision.api.router")
api.add_router("/panels", "haihe.panels.api.router")
api.add_router("/evidence", "haihe.evidence.api.router")
api.add_router("/schools", "haihe.schools.api.router")
api.add_router("/accreditation", "haihe.accreditation.api.router")
