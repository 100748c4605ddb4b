import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haihe.core.views import object_trail
from haihe.policy import perms, services
from haihe.policy.models import Parameter, ParameterValue


@login_required
def parameters(request):
    if not perms.can_view_parameters(request.user):
        raise PermissionDenied
    rows = Parameter.objects.prefetch_related("values")
    return render(request, "policy/parameters.html", {"parameters": rows})


@login_required
def parameter_detail(request, key):
    if not perms.can_view_parameters(request.user):
        raise PermissionDenied
    parameter = get_object_or_404(Parameter, key=key)
    errors = {}
    if request.method == "POST":
        try:
            day = datetime.date.fromisoformat(request.POST.get("effective_from", ""))
        except ValueError:
            errors["effective_from"] = [_("日期格式应为 YYYY-MM-DD。")]
        else:
            try:
                services.value_add(
                    actor=request.user,
                    parameter=parameter,
                    effective_from=day,
                    raw_value=request.POST.get("value", ""),
                    source=request.POST.get("source", ""),
                )
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            else:
                messages.success(request, _("已添加新的取值。"))
                return redirect("policy:parameter", key=key)
    return render(
        request,
        "policy/parameter_detail.html",
        {
            "parameter": parameter,
            "values": parameter.values.select_related("created_by"),
            "can_edit": perms.can_edit_parameters(request.user),
            "errors": errors,
            "form_data": request.POST,
            "trail": object_trail(request.user, parameter),
        },
    )


@login_required
@require_POST
def value_void(request, key, pk):
    value = get_object_or_404(ParameterValue, pk=pk, parameter__key=key)
    try:
        services.value_void(actor=request.user, value=value, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已作废。"))
    return redirect("policy:parameter", key=key)
