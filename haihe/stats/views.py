import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from haihe.accounts.roles import BUREAU_ROLES, Role
from haihe.core import clock
from haihe.registry.models import District
from haihe.stats.figures import ordered_figures


def can_view_dashboard(user) -> bool:
    return user.is_authenticated and user.role in (BUREAU_ROLES | {Role.DISTRICT_REVIEWER})


def _as_of(request) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return clock.today()


@login_required
def dashboard(request):
    if not can_view_dashboard(request.user):
        raise PermissionDenied
    as_of = _as_of(request)
    figures = ordered_figures()
    values = [{"key": f.key, "label": str(f.label), "value": f.compute(as_of)} for f in figures]
    districts = {d.code: d.name for d in District.objects.all()}
    charts = []
    for f in figures:
        if f.by_district:
            data = f.by_district(as_of)
            charts.append(
                {
                    "key": f.key,
                    "kind": "district",
                    "title": str(f.label),
                    "labels": [districts.get(code, code) for code in data],
                    "values": list(data.values()),
                }
            )
        if f.by_month:
            data = f.by_month(as_of)
            charts.append(
                {
                    "key": f.key,
                    "kind": "month",
                    "title": str(f.label),
                    "labels": list(data),
                    "values": list(data.values()),
                }
            )
    return render(
        request,
        "stats/dashboard.html",
        {"as_of": as_of, "values": values, "charts": charts},
    )
