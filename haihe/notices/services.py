"""Writes of public notices and objections: each one checked, validated, audited.

What a module calls (the kinds and their hooks: haihe.notices.kinds):

    notice = notice_create(actor=preparer, kind="honours.haihe_craftsman", title=…, body=…,
                           target=round)                       # a draft
    notice_approve(actor=approver, notice=notice)              # published; period counted
    …                                                          # objections come in, are handled
    notice_finalise_due()                                      # a scheduled run: final notices
                                                               # call their kind's on_closed hook
and reads through haihe.notices.selectors (is_final(obj), current_notice(obj)).
"""

import datetime
import logging
import re
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from haihe.core import clock
from haihe.core.audit import log_action
from haihe.core.identifiers import validate_mobile
from haihe.core.numbering import issue
from haihe.notices import kinds, perms, selectors
from haihe.notices.models import (
    Notice,
    Objection,
    client_digest,
    normalise_token,
    token_digest,
)
from haihe.notices.workflows import notice_workflow, objection_workflow
from haihe.policy.calendar import working_period
from haihe.policy.rules import ParameterMissing, ParamValue, param

logger = logging.getLogger(__name__)

# A real name: letters of any script (Chinese characters, Latin letters with or without
# accents, …), with the middle dot of minority and foreign names (·) and spaces, hyphens or
# apostrophes between parts; no digits or other signs; 2 to 40 characters.
NAME_RE = re.compile(r"^[^\W\d_](?:[^\W\d_]|[·・.'’\- ]){0,38}[^\W\d_]$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_BODY = 20_000
MAX_GROUNDS = 2_000
MIN_GROUNDS = 10


# The objector's access code: 20 characters from an alphabet without look-alikes (no 0/O, 1/I/L),
# about 99 bits, shown in groups of five and read back however it is typed.
TOKEN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # noqa: S105  (an alphabet, not a secret)


def new_token() -> str:
    code = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(20))
    return "-".join(code[i : i + 5] for i in range(0, 20, 5))


class TooManyObjections(ValidationError):
    """This address has submitted as many objections as it may for now (HTTP 429)."""


class NoticeClosed(ValidationError):
    """The notice does not accept objections now: not yet open, over, or withdrawn (HTTP 409)."""


def _text(value, *, field_name: str, errors: dict, label: str, limit: int, required=True) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        errors[field_name] = _("%(label)s格式不正确。") % {"label": label}
        return ""
    if CONTROL_RE.search(text):
        errors[field_name] = _("%(label)s含有不可见的控制字符。") % {"label": label}
    elif required and not text:
        errors[field_name] = _("请填写%(label)s。") % {"label": label}
    elif len(text) > limit:
        errors[field_name] = _("%(label)s不能超过 %(limit)s 字。") % {
            "label": label,
            "limit": limit,
        }
    return text


def period_parameter(kind: str, *, on) -> ParamValue:
    """The notice period of `kind` in working days, in force on `on`."""
    for key in (f"notices.{kind}.period_working_days", "notices.default.period_working_days"):
        try:
            return param(key, on=on)
        except ParameterMissing:
            continue
    raise ParameterMissing(f"no notice period for {kind!r} (nor the default) on {on}")


def _publisher_default(on) -> str:
    try:
        return str(param("notices.publisher_name", on=on).value)
    except ParameterMissing:
        return ""


def _refuse_unless(workflow, actor, obj, name: str) -> None:
    """The refusal `Workflow.apply` would give, before any other work is done."""
    refusal = workflow.refusal(actor, obj, name)
    if refusal is not None:
        workflow.raise_for(refusal)


def _notify(notice: Notice) -> None:
    """Tell the owning module how its notice ended (inside the closing transaction)."""
    kind = kinds.get(notice.kind)
    if kind is not None and kind.on_closed is not None:
        kind.on_closed(notice)


@transaction.atomic
def notice_create(
    *,
    actor,
    kind: str,
    title: str,
    body: str,
    target: models.Model | None = None,
    publisher_name: str = "",
    contact: str = "",
    starts_on=None,
    title_en: str = "",
    body_en: str = "",
    channel: str = "web",
) -> Notice:
    """A draft notice of `kind` about `target`; it goes public when a second person approves
    it (`notice_approve`). Title and body are plain text (shown escaped, line breaks kept)."""
    if not perms.can_create_notice(actor):
        raise PermissionDenied(_("您无权起草公示。"))
    today = clock.today()
    errors: dict = {}
    if not isinstance(kind, str) or kinds.get(kind) is None:
        errors["kind"] = _("未知的公示类型。")
    title = _text(title, field_name="title", errors=errors, label=_("标题"), limit=200)
    body = _text(body, field_name="body", errors=errors, label=_("正文"), limit=MAX_BODY)
    title_en = _text(
        title_en,
        field_name="title_en",
        errors=errors,
        label=_("英文标题"),
        limit=300,
        required=False,
    )
    body_en = _text(
        body_en,
        field_name="body_en",
        errors=errors,
        label=_("英文正文"),
        limit=MAX_BODY,
        required=False,
    )
    publisher_name = _text(
        publisher_name or _publisher_default(today),
        field_name="publisher_name",
        errors=errors,
        label=_("发布单位"),
        limit=200,
    )
    contact = _text(
        contact, field_name="contact", errors=errors, label=_("联系方式"), limit=300, required=False
    )
    if starts_on is not None and starts_on < today:
        errors["starts_on"] = _("公示开始日期不能早于今天。")
    if target is not None and target.pk is None:
        errors["target"] = _("公示的对象尚未保存。")
    if errors:
        raise ValidationError(errors)
    notice = Notice(
        reference=issue("GS", period=f"{today:%Y}", width=6),
        kind=kind,
        title=title,
        body=body,
        title_en=title_en,
        body_en=body_en,
        publisher_name=publisher_name,
        contact=contact,
        requested_start=starts_on,
        target_type=_content_type(target),
        target_id=str(target.pk) if target is not None else "",
        created_by=actor,
    )
    notice_workflow.start(notice)
    notice.save()
    log_action(
        actor=actor,
        action="notice.created",
        target=notice,
        data={"kind": kind, "title": title, "starts_on": starts_on},
        channel=channel,
    )
    return notice


def _content_type(target):
    if target is None:
        return None
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(target)


@transaction.atomic
def notice_approve(*, actor, notice: Notice, channel: str = "web") -> Notice:
    """Publish a draft: its period of working days (the kind's dated parameter) begins today,
    or on the day the draft asked for if that is later. Refused, with the reason, when the
    working-day calendar does not cover the period."""
    _refuse_unless(notice_workflow, actor, notice, "approve")
    today = clock.today()
    start = max(notice.requested_start or today, today)
    parameter = period_parameter(notice.kind, on=start)
    period = working_period(start, int(parameter.value), parameter=parameter)
    notice_workflow.apply(
        actor=actor,
        obj=notice,
        name="approve",
        channel=channel,
        data={"starts_on": period.start, "ends_on": period.end, "days": period.days},
        extra_updates={
            "approved_by": actor,
            "approved_at": clock.now(),
            "starts_on": period.start,
            "ends_on": period.end,
            "period_working_days": period.days,
            "period_explanation": period.decision.as_dict(),
        },
    )
    selectors.public_changed()
    return notice


@transaction.atomic
def notice_withdraw(*, actor, notice: Notice, reason: str, channel: str = "web") -> Notice:
    """Withdraw a draft or a published notice (published in error, the decision reopened);
    the owning module is told through its hook. Open objections stay on record."""
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ValidationError({"reason": _("理由不能超过 500 字。")})
    notice_workflow.apply(
        actor=actor,
        obj=notice,
        name="withdraw",
        reason=reason,
        channel=channel,
        extra_updates={"closed_at": clock.now(), "closing_note": reason},
    )
    _notify(notice)
    selectors.public_changed()
    return notice


def notice_finalise(*, notice: Notice, today=None) -> bool:
    """Close a published notice whose period has ended with no objection open: final when no
    objection was upheld, objection_upheld otherwise; the owning module's hook is called in the
    same transaction. Returns whether it closed the notice (False when it is not due)."""
    today = today or clock.today()
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        if (
            locked.status != Notice.Status.PUBLISHED
            or locked.ends_on >= today
            or locked.objections_open
        ):
            return False
        name = "close_upheld" if locked.objections_upheld else "finalise"
        notice_workflow.apply(
            actor=None,
            obj=locked,
            name=name,
            channel="system",
            data={"ends_on": locked.ends_on, "upheld": locked.objections_upheld},
            extra_updates={"closed_at": clock.now()},
        )
        _notify(locked)
        selectors.public_changed()
    notice.refresh_from_db()
    return True


@dataclass
class FinaliseRun:
    closed: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def notice_finalise_due(*, today=None) -> FinaliseRun:
    """Close every notice that is due (run daily by `haihe notices-finalise` or its task). One
    notice whose module hook fails is rolled back, logged and retried next run; the others
    are closed regardless."""
    today = today or clock.today()
    run = FinaliseRun()
    due = Notice.objects.filter(
        status=Notice.Status.PUBLISHED, ends_on__lt=today, objections_open=0
    ).order_by("ends_on", "pk")
    for notice in due.iterator():
        try:
            if notice_finalise(notice=notice, today=today):
                run.closed.append(notice.pk)
        except Exception:
            logger.exception("notice %s could not be finalised", notice.reference)
            run.failed.append(notice.pk)
    return run


# -- objections ----------------------------------------------------------------------------


def _objection_errors(*, name, phone, email, organisation, grounds, pledge) -> tuple[dict, dict]:
    errors: dict = {}
    clean = {
        "name": _text(name, field_name="name", errors=errors, label=_("姓名"), limit=40),
        "organisation": _text(
            organisation,
            field_name="organisation",
            errors=errors,
            label=_("工作单位"),
            limit=100,
            required=False,
        ),
        "grounds": _text(
            grounds, field_name="grounds", errors=errors, label=_("异议内容"), limit=MAX_GROUNDS
        ),
        "email": _text(
            email, field_name="email", errors=errors, label=_("电子邮箱"), limit=254, required=False
        ),
    }
    if "name" not in errors and not NAME_RE.fullmatch(clean["name"]):
        errors["name"] = _("请填写真实姓名（2–40 个汉字或字母，可含间隔号“·”）。")
    if "grounds" not in errors and len(clean["grounds"]) < MIN_GROUNDS:
        errors["grounds"] = _("请具体写明异议的事实和理由（至少 %(n)s 字）。") % {"n": MIN_GROUNDS}
    try:
        clean["phone"] = validate_mobile(phone if isinstance(phone, str) else "")
    except ValidationError as exc:
        errors["phone"] = exc.messages[0]
    if clean["email"] and "email" not in errors:
        try:
            validate_email(clean["email"])
        except ValidationError:
            errors["email"] = _("电子邮箱格式不正确。")
    if pledge is not True:
        errors["pledge"] = _("请确认以真实姓名提出异议并对内容的真实性负责。")
    return errors, clean


def objection_submit(
    *,
    actor=None,
    notice: Notice,
    name: str,
    phone: str,
    grounds: str,
    pledge: bool,
    client_address: str | None,
    email: str = "",
    organisation: str = "",
    channel: str = "public",
) -> tuple[Objection, str]:
    """Anyone objects to an open notice with their real name and a mobile number; returns the
    objection and its secret token (shown once: with the reference it lets the objector follow
    the objection). Only what is needed is stored: no identity number, and the client's
    address only as a keyed digest, for the submission limit."""
    errors, clean = _objection_errors(
        name=name,
        phone=phone,
        email=email,
        organisation=organisation,
        grounds=grounds,
        pledge=pledge,
    )
    if errors:
        raise ValidationError(errors)
    digest = client_digest(client_address)
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        today = clock.today()
        phase = locked.phase(today)
        if phase != "open":
            message = {
                "upcoming": _("公示尚未开始，暂不受理异议。"),
                "withdrawn": _("该公示已撤回，不再受理异议。"),
                "draft": _("该公示尚未发布。"),
            }.get(phase, _("公示期已结束，不再受理异议。"))
            raise NoticeClosed({NON_FIELD_ERRORS: [message]})
        since = clock.real_now() - _window()
        recent = Objection.objects.filter(client_digest=digest, client_seen_at__gte=since).count()
        if recent >= settings.HAIHE_OBJECTIONS_PER_ADDRESS:
            raise TooManyObjections(
                {NON_FIELD_ERRORS: [_("提交过于频繁，请稍后再试或以书面方式提出。")]}
            )
        token = new_token()
        objection = objection_workflow.start(
            Objection(
                notice=locked,
                reference=issue("YY", period=f"{today:%Y}", width=6),
                token_digest=token_digest(normalise_token(token)),
                client_digest=digest,
                **clean,
            )
        )
        objection.save()
        Notice.objects.filter(pk=locked.pk).update(
            objections_total=F("objections_total") + 1, objections_open=F("objections_open") + 1
        )
        log_action(
            actor=actor,
            action="objection.received",
            target=objection,
            data={"notice": locked.reference},
            channel=channel,
        )
    return objection, token


def _window() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.HAIHE_OBJECTIONS_WINDOW_SECONDS)


def _resolve(*, actor, objection: Objection, name: str, reason: str, channel: str) -> Objection:
    reason = (reason or "").strip()
    if len(reason) > MAX_GROUNDS:
        raise ValidationError({"reason": _("理由不能超过 %(n)s 字。") % {"n": MAX_GROUNDS}})
    with transaction.atomic():
        objection_workflow.apply(
            actor=actor,
            obj=objection,
            name=name,
            reason=reason,
            channel=channel,
            extra_updates={"resolution": reason, "resolved_at": clock.now(), "handled_by": actor},
        )
        counts = {"objections_open": F("objections_open") - 1}
        if name == "uphold":
            counts["objections_upheld"] = F("objections_upheld") + 1
        Notice.objects.filter(pk=objection.notice_id).update(**counts)
        notice = Notice.objects.get(pk=objection.notice_id)
        try:  # close the notice now if its period is already over
            notice_finalise(notice=notice)
        except Exception:  # a failing module hook must not undo the decision on the objection
            logger.exception("notice %s could not be finalised", notice.reference)
        objection.notice = notice
    return objection


def objection_investigate(*, actor, objection: Objection, note: str = "", channel="web"):
    """The bureau takes the objection up (the objector sees "being investigated")."""
    note = (note or "").strip()[:MAX_GROUNDS]
    objection_workflow.apply(
        actor=actor,
        obj=objection,
        name="investigate",
        reason=note,
        channel=channel,
        extra_updates={"handled_by": actor},
    )
    return objection


def objection_uphold(*, actor, objection: Objection, reason: str, channel: str = "web"):
    """The objection is well founded: the notice will close as objection_upheld, and the owning
    module decides what follows (e.g. a corrected result on a new notice)."""
    return _resolve(actor=actor, objection=objection, name="uphold", reason=reason, channel=channel)


def objection_dismiss(*, actor, objection: Objection, reason: str, channel: str = "web"):
    """The objection is not well founded (or not about this notice), with the reason the
    objector reads."""
    return _resolve(
        actor=actor, objection=objection, name="dismiss", reason=reason, channel=channel
    )


def objection_contact_reveal(*, actor, objection: Objection, channel: str = "web") -> dict:
    """The objector's full phone number and e-mail, to contact them; every view is audited."""
    if not perms.can_view_objection_contact(actor, objection):
        raise PermissionDenied(_("您无权查看异议人的联系方式。"))
    log_action(actor=actor, action="objection.contact_viewed", target=objection, channel=channel)
    return {"phone": objection.phone, "email": objection.email}
