"""The bureau's pages of the working-day calendar: the years covered, and one year to view and
edit (days off, adjusted working days, voiding a wrong entry)."""

import calendar as pycalendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haihe.core import clock
from haihe.core.views import object_trail
from haihe.policy import calendar_services as services
from haihe.policy import perms
from haihe.policy.calendar import WorkingCalendar, coverage_warnings
from haihe.policy.models import CalendarDay, CalendarYear


def _errors(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}


def _date(value: str, field: str, errors: dict) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        errors[field] = [_("日期格式应为 YYYY-MM-DD。")]
        return None


@login_required
def calendar_years(request):
    if not perms.can_view_calendar(request.user):
        raise PermissionDenied
    errors = {}
    if request.method == "POST":
        raw = request.POST.get("year", "").strip()
        try:
            year = int(raw)
        except ValueError:
            errors["year"] = [_("请填写四位数的年份。")]
        else:
            try:
                services.calendar_year_create(
                    actor=request.user, year=year, source=request.POST.get("source", "")
                )
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, _("已新增年度，请录入当年的放假和调休上班日。"))
                return redirect("policy:calendar_year", year=year)
    active = Q(days__voided_at__isnull=True)
    years = CalendarYear.objects.annotate(
        holidays=Count("days", filter=active & Q(days__kind="holiday")),
        workdays=Count("days", filter=active & Q(days__kind="workday")),
    )
    return render(
        request,
        "policy/calendar_years.html",
        {
            "years": years,
            "warnings": coverage_warnings(clock.today()),
            "can_edit": perms.can_edit_calendar(request.user),
            "errors": errors,
            "form_data": request.POST,
        },
    )


def _months(year: int, working: WorkingCalendar) -> list[dict]:
    weeks_of = pycalendar.Calendar(firstweekday=0)
    months = []
    for month in range(1, 13):
        weeks = []
        for week in weeks_of.monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                info = working.day(day)
                cells.append({"date": day, "kind": info.kind, "label": info.label})
            weeks.append(cells)
        months.append({"month": datetime.date(year, month, 1), "weeks": weeks})
    return months


@login_required
def calendar_year(request, year: int):
    if not perms.can_view_calendar(request.user):
        raise PermissionDenied
    calendar = get_object_or_404(CalendarYear, year=year)
    errors = {}
    if request.method == "POST":
        first = _date(request.POST.get("first", ""), "first", errors)
        last_raw = request.POST.get("last", "").strip()
        last = _date(last_raw, "last", errors) if last_raw else first
        if not errors:
            try:
                rows = services.calendar_days_add(
                    actor=request.user,
                    calendar=calendar,
                    kind=request.POST.get("kind", ""),
                    first=first,
                    last=last,
                    name_zh=request.POST.get("name_zh", ""),
                    name_en=request.POST.get("name_en", ""),
                    source=request.POST.get("source", ""),
                )
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, _("已录入 %(n)s 天。") % {"n": len(rows)})
                return redirect("policy:calendar_year", year=year)
    return render(
        request,
        "policy/calendar_year.html",
        {
            "calendar": calendar,
            "months": _months(year, WorkingCalendar()),
            "entries": calendar.days.order_by("day", "-created_at"),
            "kinds": CalendarDay.Kind.choices,
            "can_edit": perms.can_edit_calendar(request.user),
            "errors": errors,
            "form_data": request.POST,
            "trail": object_trail(request.user, calendar),
        },
    )


@login_required
@require_POST
def calendar_day_void(request, year: int, pk: int):
    if not perms.can_view_calendar(request.user):
        raise PermissionDenied
    day = get_object_or_404(CalendarDay, pk=pk, calendar__year=year)
    try:
        services.calendar_day_void(
            actor=request.user, day=day, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已作废。"))
    return redirect("policy:calendar_year", year=year)
