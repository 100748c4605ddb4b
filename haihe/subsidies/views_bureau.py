"""The bureau's pages: the dated catalogue and the reconciled totals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haihe.core import clock
from haihe.core.apischema import filter_page
from haihe.core.pagination import paginate
from haihe.policy.models import Parameter
from haihe.registry.models import SkillLevel
from haihe.subsidies import perms, services
from haihe.subsidies.figures import person_times_by
from haihe.subsidies.filters import CatalogueFilter
from haihe.subsidies.forms import CatalogueEntryForm, PriceForm
from haihe.subsidies.models import CatalogueEntry, Claim
from haihe.subsidies.rules import DEFAULTS_KEY, Catalogue, Timeline, render_reason
from haihe.subsidies.selectors import totals, totals_by_district
from haihe.training.models import OutcomeKind


def _catalogue_rows(request):
    rows = CatalogueEntry.objects.visible_to(request.user).select_related(
        "occupation", "created_by", "voided_by"
    )
    return filter_page(request, CatalogueFilter, rows)


@login_required
def catalogue(request):
    if not perms.can_view_catalogue(request.user):
        raise PermissionDenied
    can_edit = perms.can_edit_catalogue(request.user)
    form = CatalogueEntryForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.catalogue_add(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, _("已新增补贴标准。"))
                return redirect("subsidies:catalogue")
    defaults = Timeline(DEFAULTS_KEY)
    today = clock.today()
    current_default = defaults.at(today)
    default_table = []
    if current_default is not None:
        for kind, label in OutcomeKind.choices:
            values = (current_default.value or {}).get(kind, {})
            default_table.append(
                (label, [values.get(str(level), "—") for level in sorted(SkillLevel.values)])
            )
    rows, filter_errors = _catalogue_rows(request)
    return render(
        request,
        "subsidies/catalogue.html",
        {
            "page": paginate(request, rows, 50),
            "filter_errors": filter_errors,
            "form": form,
            "can_edit": can_edit,
            "filters": request.GET,
            "levels": SkillLevel.choices,
            "kinds": OutcomeKind.choices,
            "default_table": default_table,
            "default_value": current_default,
            "default_parameter": Parameter.objects.filter(key=DEFAULTS_KEY).first(),
            "level_headers": [SkillLevel(v).label for v in sorted(SkillLevel.values)],
            "price_form": PriceForm(),
        },
        status=400 if filter_errors else 200,
    )


@login_required
@require_POST
def catalogue_void(request, pk):
    entry = get_object_or_404(CatalogueEntry.objects.visible_to(request.user), pk=pk)
    try:
        services.catalogue_void(
            actor=request.user, entry=entry, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已作废。"))
    return redirect("subsidies:catalogue")


@login_required
def catalogue_price(request):
    """What the rule pays for an occupation, level and outcome type certified on a date."""
    if not perms.can_view_catalogue(request.user):
        raise PermissionDenied
    form = PriceForm(request.GET or None)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        reason = Catalogue([data["occupation"].pk]).price(
            data["occupation"], data["level"], data["outcome_kind"], data["on"]
        )
        result = {"reason": reason.as_dict(), "message": render_reason(reason.as_dict())}
    return render(request, "subsidies/catalogue_price.html", {"form": form, "result": result})


@login_required
def totals_page(request):
    """Claimed = in review + approved + rejected + returned; approved = paid + failed + pending;
    with subsidised person-times by month, district, occupation and level."""
    user = request.user
    if not perms.can_view_totals(user):
        raise PermissionDenied
    claims = Claim.objects.visible_to(user)
    as_of = clock.today()
    rows = totals_by_district(claims)
    if user.district_id:
        rows = [(d, t) for d, t in rows if d.pk == user.district_id]
    return render(
        request,
        "subsidies/totals.html",
        {
            "overall": totals(claims),
            "rows": rows,
            "as_of": as_of,
            "by_month": person_times_by(as_of, "month"),
            "by_level": {
                SkillLevel(int(k)).label: v for k, v in person_times_by(as_of, "level").items()
            },
            "by_occupation": list(person_times_by(as_of, "occupation").items())[:20],
        },
    )
