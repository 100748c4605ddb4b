"""The JSON API under /api/v1 (django-ninja): token or session authentication, scoped like the
pages (every endpoint goes through the same `visible_to` and perms functions)."""

import orjson
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.parser import Parser
from ninja.renderers import BaseRenderer
from ninja.security import APIKeyCookie, HttpBearer

from haihe.accounts.services import token_authenticate


class TokenAuth(HttpBearer):
    openapi_description = "Authorization: Bearer hh_… (a token issued on the Tokens page)"

    def authenticate(self, request: HttpRequest, token: str):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's own session (with Django's CSRF check on unsafe methods)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


class OrjsonParser(Parser):
    def parse_body(self, request):
        return orjson.loads(request.body)


class OrjsonRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request, data, *, response_status):
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS, default=str)


api = NinjaAPI(
    title="Haihe API",
    version="1",
    description="Registry and programme endpoints for organisations' systems.",
    urls_namespace="api-v1",
    auth=[TokenAuth(), SessionAuth()],
    parser=OrjsonParser(),
    renderer=OrjsonRenderer(),
)


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    return api.create_response(request, {"detail": _("需要有效的令牌或登录。")}, status=401)


api.add_router("/registry", "haihe.registry.api.router")
api.add_router("/stats", "haihe.stats.api.router")
api.add_router("/training", "haihe.training.api.router")
api.add_router("/subsidies", "haihe.subsidies.api.router")
api.add_router("/supervision", "haihe.supervision.api.router")
api.add_router("/panels", "haihe.panels.api.router")
