import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from haihe.core import clock
from haihe.core.figures import ordered_figures
from haihe.core.validation import day_problem
from haihe.registry.models import District
from haihe.stats import selectors
from haihe.stats.perms import can_view_figures


def _as_of(request) -> datetime.date:
    """The date asked for; today for a missing, malformed or out-of-range one."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return clock.today()
    return day if day_problem(day) is None else clock.today()


@login_required
def dashboard(request):
    if not can_view_figures(request.user):
        raise PermissionDenied
    as_of = _as_of(request)
    figures = ordered_figures()
    current = selectors.headline(as_of)
    values = [
        {
            "key": f.key,
            "label": str(f.label),
            "value": current.get(f.key),
            "money": f.key.endswith("_yuan"),
        }
        for f in figures
    ]
    districts = {d.code: d.name for d in District.objects.all()}
    parts = selectors.breakdowns(as_of)
    charts = []
    for f in figures:
        for kind in ("district", "month"):
            data = parts.get(f.key, {}).get(kind)
            if data is None:
                continue
            labels = [districts.get(code, code) for code in data] if kind == "district" else data
            charts.append(
                {
                    "key": f.key,
                    "kind": kind,
                    "title": str(f.label),
                    "labels": list(labels),
                    "values": list(data.values()),
                }
            )
    return render(
        request,
        "stats/dashboard.html",
        {"as_of": as_of, "values": values, "charts": charts},
    )
