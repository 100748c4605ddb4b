"""How the JSON API knows its caller: a bearer token (issued on the Tokens page) or the
browser's session, optionally with a role-level permission checked before the request is read."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer

from haihe.accounts.services import token_authenticate


class _Permitted:
    """An authentication that may also require a role-level permission, checked before anything
    of the request is parsed (ninja authenticates first): a worker posting attendance is refused
    (403) whatever the body. The per-object checks stay in the services."""

    def __init__(self, *args, permission=None, message=None, **kwargs):
        self.permission = permission
        self.message = message
        super().__init__(*args, **kwargs)

    def permitted(self, user):
        if user is not None and self.permission is not None and not self.permission(user):
            raise PermissionDenied(self.message or _("您无权执行此操作。"))
        return user


class TokenAuth(_Permitted, HttpBearer):
    openapi_description = "Authorization: Bearer hh_… (a token issued on the Tokens page)"

    def authenticate(self, request: HttpRequest, token: str):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return self.permitted(user)


class SessionAuth(_Permitted, APIKeyCookie):
    """The browser's own session (with Django's CSRF check on unsafe methods)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return self.permitted(user)
        return None


def allowed(permission, message=None) -> list:
    """The operation's `auth=`: a token or a session whose user passes `permission(user)`
    (403 with `message` otherwise), before the parameters and the body are parsed."""
    return [
        TokenAuth(permission=permission, message=message),
        SessionAuth(permission=permission, message=message),
    ]
