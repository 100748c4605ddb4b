"""Accounts: creating users, API tokens (hashed at rest, shown once), login throttling."""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haihe.accounts import perms
from haihe.accounts.models import ApiToken, LoginFailure, SecurityAlert, User, token_digest
from haihe.core import clock
from haihe.core.audit import log_action

logger = logging.getLogger("haihe.security")

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


# ----- login throttling ---------------------------------------------------------------------
# A failure counts against the (account, client) pair and against the client: the client that
# guessed wrong is slowed down, the account stays open to everyone else (its owner included).
# Windows are real time. See docs in settings.py (HAIHE_LOGIN_*) and README's Settings.


def _since(seconds: int) -> datetime.datetime:
    return clock.real_now() - datetime.timedelta(seconds=seconds)


def login_blocked(username: str, address: str | None) -> bool:
    """Whether this client must wait before trying `username` again."""
    recent = LoginFailure.objects.filter(at__gte=_since(settings.HAIHE_LOGIN_LOCKOUT_SECONDS))
    pair = recent.filter(username=username.lower()[:150], address=address)
    if pair.count() >= settings.HAIHE_LOGIN_MAX_FAILURES:
        return True
    if address is None:
        return False
    return recent.filter(address=address).count() >= settings.HAIHE_LOGIN_CLIENT_MAX_FAILURES


@transaction.atomic
def login_failed(username: str, address: str | None) -> SecurityAlert | None:
    """Record a failed login; returns the security alert it raised or updated, if any."""
    username = username.lower()[:150]
    now = clock.real_now()
    keep = max(settings.HAIHE_LOGIN_LOCKOUT_SECONDS, settings.HAIHE_LOGIN_ALERT_WINDOW_SECONDS)
    LoginFailure.objects.filter(at__lt=now - datetime.timedelta(seconds=keep)).delete()
    LoginFailure.objects.create(username=username, address=address, at=now)
    return _login_alert(username, now)


def _login_alert(username: str, now: datetime.datetime) -> SecurityAlert | None:
    """Alert the bureau when one account fails sustainedly from several clients: at least
    HAIHE_LOGIN_ALERT_FAILURES failures from HAIHE_LOGIN_ALERT_CLIENTS addresses within the
    alert window. One alert per episode: while an alert of the account was seen within the
    window, each further failure updates it (its count, its addresses) instead."""
    window = datetime.timedelta(seconds=settings.HAIHE_LOGIN_ALERT_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(username=username, at__gte=now - window)
    failures = recent.count()
    if failures < settings.HAIHE_LOGIN_ALERT_FAILURES:
        return None
    addresses = sorted(
        {a for a in recent.values_list("address", flat=True).distinct() if a is not None}
    )
    if len(addresses) < settings.HAIHE_LOGIN_ALERT_CLIENTS:
        return None
    # only accounts that exist; the row lock serialises the check across app processes
    user = User.objects.select_for_update().filter(username__iexact=username).first()
    if user is None:
        return None
    alert = (
        SecurityAlert.objects.filter(
            kind=SecurityAlert.Kind.LOGIN_FAILURES, user=user, last_seen_at__gte=now - window
        )
        .order_by("-last_seen_at")
        .first()
    )
    if alert is not None:
        seen = sorted(set(alert.addresses) | set(addresses))
        alert.last_seen_at = now
        alert.failures += 1
        alert.clients = max(alert.clients, len(seen))
        alert.addresses = seen[:100]
        alert.save(update_fields=["last_seen_at", "failures", "addresses", "clients"])
        return alert
    alert = SecurityAlert.objects.create(
        kind=SecurityAlert.Kind.LOGIN_FAILURES,
        user=user,
        first_seen_at=now,
        last_seen_at=now,
        failures=failures,
        clients=len(addresses),
        addresses=addresses[:100],
    )
    log_action(
        actor=None,
        action="security.login_alert",
        target=alert,
        data={
            "username": user.username,
            "failures": failures,
            "clients": len(addresses),
            "window_seconds": settings.HAIHE_LOGIN_ALERT_WINDOW_SECONDS,
        },
    )
    logger.warning(
        "security alert: %d failed logins to account %r from %d clients within %d s",
        failures,
        user.username,
        len(addresses),
        settings.HAIHE_LOGIN_ALERT_WINDOW_SECONDS,
    )
    return alert


def login_succeeded(user: User, address: str | None) -> None:
    """Forget this client's failures for the account (other clients' failures stay counted)."""
    LoginFailure.objects.filter(username=user.username.lower(), address=address).delete()
    log_action(actor=user, action="user.logged_in", target=user, data={"address": address})


@transaction.atomic
def security_alert_acknowledge(*, actor, alert: SecurityAlert) -> SecurityAlert:
    if not perms.can_view_security_alerts(actor):
        raise PermissionDenied(_("您无权处理安全警报。"))
    if alert.acknowledged_at is None:
        alert.acknowledged_at = clock.real_now()
        alert.acknowledged_by = actor
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
        log_action(actor=actor, action="security.alert_acknowledged", target=alert)
    return alert
