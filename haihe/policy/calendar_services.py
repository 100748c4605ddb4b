"""The bureau keeps the working-day calendar: a year from the State Council's notice, its days
off and its adjusted working days, and voids an entry entered wrongly (never deletes it)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haihe.core import clock
from haihe.core.audit import log_action
from haihe.policy import perms
from haihe.policy.models import CalendarDay, CalendarYear

MAX_SPAN_DAYS = 31


def _require_editor(actor) -> None:
    if not perms.can_edit_calendar(actor):
        raise PermissionDenied(_("您无权修改工作日历。"))


@transaction.atomic
def calendar_year_create(*, actor, year: int, source: str) -> CalendarYear:
    """Cover a year: from now on its working days are counted (weekends rest, weekdays work,
    except the entries added to it). Enter it when the State Council's notice is out."""
    _require_editor(actor)
    errors = {}
    if not isinstance(year, int) or not 1999 <= year <= 2100:
        errors["year"] = _("年份应在 1999 至 2100 之间。")
    elif CalendarYear.objects.filter(year=year).exists():
        errors["year"] = _("该年度的工作日历已存在。")
    source = (source or "").strip()
    if not source:
        errors["source"] = _("请填写依据（国务院办公厅通知的名称和文号）。")
    elif len(source) > 2000:
        errors["source"] = _("依据不能超过 2000 字。")
    if errors:
        raise ValidationError(errors)
    calendar = CalendarYear.objects.create(year=year, source=source, created_by=actor)
    log_action(
        actor=actor, action="calendar.year_created", target=calendar, data={"source": source}
    )
    return calendar


@transaction.atomic
def calendar_days_add(
    *,
    actor,
    calendar: CalendarYear,
    kind: str,
    first: datetime.date,
    last: datetime.date | None = None,
    name_zh: str,
    name_en: str,
    source: str,
) -> list[CalendarDay]:
    """Days off `first`..`last` of a holiday (kind "holiday"), or weekend days worked in
    exchange (kind "workday"), of `calendar`'s year (its New Year holiday may begin in the last
    days of December before it)."""
    _require_editor(actor)
    last = last or first
    errors = {}
    if kind not in CalendarDay.Kind.values:
        errors["kind"] = _("请选择放假或调休上班。")
    name_zh, name_en, source = (
        (name_zh or "").strip(),
        (name_en or "").strip(),
        (source or "").strip(),
    )
    if not name_zh or len(name_zh) > 60:
        errors["name_zh"] = _("请填写节日名称（中文，不超过 60 字）。")
    if not name_en or len(name_en) > 80:
        errors["name_en"] = _("请填写节日名称（英文，不超过 80 个字符）。")
    if not source or len(source) > 200:
        errors["source"] = _("请填写依据（通知文号，不超过 200 字）。")
    if last < first:
        errors["last"] = _("结束日期不能早于开始日期。")
    elif (last - first).days + 1 > MAX_SPAN_DAYS:
        errors["last"] = _("一次最多录入 31 天。")
    else:
        days = [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]
        outside = [d for d in days if not _belongs(calendar.year, d)]
        if outside:
            errors["first"] = _("日期应在 %(year)s 年内（元旦假期可始于上一年 12 月）。") % {
                "year": calendar.year
            }
        elif kind == CalendarDay.Kind.WORKDAY and any(d.weekday() < 5 for d in days):
            errors["first"] = _("调休上班日应为周六或周日；工作日本来就上班。")
        else:
            taken = list(
                CalendarDay.objects.filter(day__in=days, voided_at__isnull=True)
                .order_by("day")
                .values_list("day", flat=True)
            )
            if taken:
                errors["first"] = _("%(day)s 已有安排；如有错误，请先作废原安排。") % {
                    "day": taken[0].isoformat()
                }
    if errors:
        raise ValidationError(errors)
    rows = CalendarDay.objects.bulk_create(
        CalendarDay(
            calendar=calendar,
            day=day,
            kind=kind,
            name_zh=name_zh,
            name_en=name_en,
            source=source,
            created_by=actor,
        )
        for day in days
    )
    log_action(
        actor=actor,
        action="calendar.days_added",
        target=calendar,
        data={
            "kind": kind,
            "first": first,
            "last": last,
            "name_zh": name_zh,
            "name_en": name_en,
            "source": source,
        },
    )
    return rows


def _belongs(year: int, day: datetime.date) -> bool:
    return day.year == year or (day.year == year - 1 and day.month == 12)


@transaction.atomic
def calendar_day_void(*, actor, day: CalendarDay, reason: str) -> CalendarDay:
    """Void an entry entered wrongly (or changed by a later notice): the day goes back to the
    plain week until a new entry is added; the old one stays on record."""
    _require_editor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写理由。")})
    if len(reason) > 255:
        raise ValidationError({"reason": _("理由不能超过 255 字。")})
    locked = CalendarDay.objects.select_for_update().get(pk=day.pk)
    if locked.voided_at is not None:
        raise ValidationError(_("该安排已作废。"))
    locked.voided_at = clock.now()
    locked.void_reason = reason
    locked.save(update_fields=["voided_at", "void_reason"])
    log_action(
        actor=actor,
        action="calendar.day_voided",
        target=locked.calendar,
        data={"day": locked.day, "kind": locked.kind, "name_zh": locked.name_zh, "reason": reason},
    )
    day.voided_at, day.void_reason = locked.voided_at, locked.void_reason
    return day
