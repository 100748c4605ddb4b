"""Writes of the xAPI app: platform selection and credentials. Keyword-only, atomic, audited."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haihe.core import clock
from haihe.core.audit import log_action
from haihe.registry.models import Organisation, OrgKind
from haihe.xapi import perms
from haihe.xapi.auth import new_key_and_secret, secret_digest, selection_in_force_q
from haihe.xapi.models import Credential, PlatformSelection


def _require_platform(organisation: Organisation) -> None:
    if not organisation.kinds.filter(kind=OrgKind.ONLINE_TRAINING_PLATFORM).exists():
        raise ValidationError(_("该单位不是线上培训平台。"))


@transaction.atomic
def platform_select(
    *,
    actor,
    organisation: Organisation,
    valid_from: datetime.date,
    valid_until: datetime.date,
    note: str = "",
    channel: str = "web",
) -> PlatformSelection:
    """Select an online training platform for [valid_from, valid_until] (the bureau only)."""
    if actor is not None and not perms.can_select_platform(actor):
        raise PermissionDenied(_("您无权遴选线上培训平台。"))
    _require_platform(organisation)
    if valid_until < valid_from:
        raise ValidationError(_("入选截止日期不得早于起始日期。"))
    selection = PlatformSelection.objects.create(
        organisation=organisation,
        valid_from=valid_from,
        valid_until=valid_until,
        note=note,
        selected_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(
        actor=actor,
        action="xapi.platform_selected",
        target=selection,
        data={"valid_from": valid_from, "valid_until": valid_until, "note": note},
        channel=channel,
    )
    return selection


@transaction.atomic
def selection_revoke(
    *, actor, selection: PlatformSelection, reason: str, channel: str = "web"
) -> PlatformSelection:
    """Revoke a selection; the platform is refused from now on, its stored records stay."""
    if not perms.can_select_platform(actor):
        raise PermissionDenied(_("您无权撤销平台入选。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写撤销理由。"))
    selection = PlatformSelection.objects.select_for_update().get(pk=selection.pk)
    if selection.revoked_at is not None:
        raise ValidationError(_("该入选已被撤销。"))
    selection.revoked_at = clock.now()
    selection.revoked_by = actor
    selection.reason = reason
    selection.save(update_fields=["revoked_at", "revoked_by", "reason"])
    log_action(
        actor=actor,
        action="xapi.selection_revoked",
        target=selection,
        data={"reason": reason},
        channel=channel,
    )
    return selection


def _selection_manager(actor) -> None:
    """The bureau, or the platform itself (actor None) acting for a recognition's lifecycle."""
    if actor is not None and not perms.can_select_platform(actor):
        raise PermissionDenied(_("您无权变更平台入选。"))


@transaction.atomic
def selection_suspend(*, actor, selection: PlatformSelection, reason: str, channel: str = "web"):
    """Suspend a selection (its recognition was suspended): the platform's credentials stop
    working until `selection_resume`; stored records stay."""
    _selection_manager(actor)
    selection = PlatformSelection.objects.select_for_update().get(pk=selection.pk)
    if selection.suspended_at is not None or selection.revoked_at is not None:
        return selection
    selection.suspended_at = clock.now()
    selection.suspend_reason = (reason or "").strip()[:500]
    selection.save(update_fields=["suspended_at", "suspend_reason"])
    log_action(actor=actor, action="xapi.selection_suspended", target=selection,
               data={"reason": selection.suspend_reason}, channel=channel)  # fmt: skip
    return selection


@transaction.atomic
def selection_resume(*, actor, selection: PlatformSelection, reason: str = "", channel="web"):
    """End a suspension: the platform's credentials work again (within the period)."""
    _selection_manager(actor)
    selection = PlatformSelection.objects.select_for_update().get(pk=selection.pk)
    if selection.suspended_at is None:
        return selection
    selection.suspended_at = None
    selection.suspend_reason = ""
    selection.save(update_fields=["suspended_at", "suspend_reason"])
    log_action(actor=actor, action="xapi.selection_resumed", target=selection,
               data={"reason": (reason or "").strip()[:500]}, channel=channel)  # fmt: skip
    return selection


@transaction.atomic
def selection_end(*, actor, selection: PlatformSelection, reason: str, channel: str = "web"):
    """Revoke a selection for a recognition that was revoked or renewed (idempotent)."""
    _selection_manager(actor)
    selection = PlatformSelection.objects.select_for_update().get(pk=selection.pk)
    if selection.revoked_at is not None:
        return selection
    selection.revoked_at = clock.now()
    selection.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    selection.reason = (reason or "").strip()[:255] or "-"
    selection.save(update_fields=["revoked_at", "revoked_by", "reason"])
    log_action(actor=actor, action="xapi.selection_revoked", target=selection,
               data={"reason": selection.reason}, channel=channel)  # fmt: skip
    return selection


def selection_in_force(organisation: Organisation, day: datetime.date | None = None) -> bool:
    day = day or clock.today()
    return PlatformSelection.objects.filter(
        selection_in_force_q(day), organisation=organisation
    ).exists()


@transaction.atomic
def credential_issue(
    *, actor, organisation: Organisation, label: str = "", channel: str = "web"
) -> tuple[Credential, str, str]:
    """Issue a new key and secret for a platform. The secret is returned here only: it is kept
    as a digest and can never be shown again. `actor` None is the system (demo, command)."""
    if actor is not None and not perms.can_issue_credential(actor, organisation):
        raise PermissionDenied(_("您无权为该平台签发凭据。"))
    _require_platform(organisation)
    key, secret = new_key_and_secret()
    credential = Credential.objects.create(
        organisation=organisation,
        key=key,
        secret_digest=secret_digest(secret),
        label=label[:100],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(
        actor=actor,
        action="xapi.credential_issued",
        target=credential,
        data={"key": key, "label": label},
        channel=channel,
    )
    return credential, key, secret


@transaction.atomic
def credential_revoke(
    *, actor, credential: Credential, reason: str, channel: str = "web"
) -> Credential:
    if not perms.can_revoke_credential(actor, credential):
        raise PermissionDenied(_("您无权吊销该凭据。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写吊销理由。"))
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at is not None:
        raise ValidationError(_("该凭据已被吊销。"))
    credential.revoked_at = clock.real_now()
    credential.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    credential.revoke_reason = reason
    credential.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    log_action(
        actor=actor,
        action="xapi.credential_revoked",
        target=credential,
        data={"key": credential.key, "reason": reason},
        channel=channel,
    )
    return credential


def demo_platforms_setup(*, platforms, year: int = 2020) -> tuple[Credential, str, str] | None:
    """For the demo: select every online training platform for the calendar year `year`, plus
    the current year so the demo server accepts statements today, and issue one credential to
    the first platform. Returns (credential, key, secret) of that one, or None without platforms.
    """
    platforms = list(platforms)
    if not platforms:
        return None
    today = clock.today()
    start = datetime.date(year, 1, 1)
    end = max(datetime.date(year, 12, 31), datetime.date(today.year, 12, 31))
    for organisation in platforms:
        platform_select(
            actor=None,
            organisation=organisation,
            valid_from=start,
            valid_until=end,
            note=_("演示：%(year)s 年入选") % {"year": year},
            channel="demo",
        )
    return credential_issue(actor=None, organisation=platforms[0], label="demo", channel="demo")
