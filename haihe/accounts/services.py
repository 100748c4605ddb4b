"""Accounts: creating users, API tokens (hashed at rest, shown once), login throttling."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haihe.accounts import perms
from haihe.accounts.models import ApiToken, LoginFailure, User, token_digest
from haihe.core import clock
from haihe.core.audit import log_action

TOKEN_PREFIX = "hh_"  # noqa: S105  (a public marker, not a secret)


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    district=None,
    organisation=None,
    person=None,
) -> User:
    if actor is not None and not perms.can_manage_users(
        actor, role=role, organisation=organisation
    ):
        raise PermissionDenied(_("您无权创建该类账户。"))
    user = User(
        username=username,
        role=role,
        display_name=display_name,
        district=district,
        organisation=organisation,
        person=person,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    log_action(
        actor=actor,
        action="user.created",
        target=user,
        organisation_id=getattr(organisation, "pk", None),
        data={"role": role},
    )
    return user


@transaction.atomic
def token_issue(*, actor, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the secret is returned once and only its digest is kept."""
    if not perms.can_manage_tokens(actor, user):
        raise PermissionDenied(_("您无权为该账户签发令牌。"))
    if not name.strip():
        raise ValidationError({"name": _("请填写令牌名称。")})
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=prefix, digest=token_digest(secret), created_by=actor
    )
    log_action(actor=actor, action="token.issued", target=token, data={"user": user.username})
    return token, secret


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if not perms.can_manage_tokens(actor, token.user):
        raise PermissionDenied(_("您无权吊销该令牌。"))
    if token.revoked_at is None:
        token.revoked_at = clock.real_now()
        token.save(update_fields=["revoked_at"])
        log_action(actor=actor, action="token.revoked", target=token)
    return token


def token_authenticate(secret: str) -> User | None:
    """The user a presented token acts for, or None (unknown, revoked, or wrong secret)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    prefix = secret[len(TOKEN_PREFIX) :].split("_", 1)[0]
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    if not secrets.compare_digest(token.digest, token_digest(secret)):
        return None
    now = clock.real_now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def login_blocked(username: str, address: str | None) -> bool:
    since = clock.real_now() - datetime.timedelta(seconds=settings.HAIHE_LOGIN_LOCKOUT_SECONDS)
    limit = settings.HAIHE_LOGIN_MAX_FAILURES
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username=username.lower()).count() >= limit:
        return True
    return bool(address) and recent.filter(address=address).count() >= limit * 4


def login_failed(username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], address=address)


def login_succeeded(user: User, address: str | None) -> None:
    LoginFailure.objects.filter(username=user.username.lower()).delete()
    log_action(actor=user, action="user.logged_in", target=user, data={"address": address})
