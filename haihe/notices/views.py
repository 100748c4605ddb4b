"""The public pages: the list of notices, a notice with the way to object, an objector's look-up."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from haihe.core import clock
from haihe.notices import selectors, services
from haihe.notices.models import PHASE_LABELS, Notice, Objection

OBJECTION_FIELDS = ("name", "phone", "email", "organisation", "grounds")


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def errors_of(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            ("form" if key == NON_FIELD_ERRORS else key): messages
            for key, messages in exc.message_dict.items()
        }
    return {"form": exc.messages}


def notice_list(request):
    state = request.GET.get("state", "all")
    if state not in selectors.PUBLIC_STATES:
        return render(
            request,
            "notices/bad_request.html",
            {"message": _("未知的筛选条件：%(value)s") % {"value": state[:40]}},
            status=400,
        )
    data = selectors.public_notice_page(
        state=state,
        page=request.GET.get("page"),
        today=clock.today(),
        language=get_language() or "zh-hans",
    )
    return render(request, "notices/list.html", {"data": data, "state": state})


def _detail(request, notice, *, errors=None, form_data=None, status=200):
    today = clock.today()
    phase = notice.phase(today)
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "phase": phase,
            "phase_label": PHASE_LABELS[phase],
            "period_reasons": selectors.period_messages(notice),
            "accepts": phase == "open",
            "errors": errors or {},
            "form_data": form_data or {},
        },
        status=status,
    )


def notice_detail(request, pk):
    notice = get_object_or_404(Notice.objects.public(), pk=pk)
    return _detail(request, notice)


@require_POST
@never_cache
def objection_create(request, pk):
    notice = get_object_or_404(Notice.objects.public(), pk=pk)
    form_data = {name: request.POST.get(name, "") for name in OBJECTION_FIELDS}
    form_data["pledge"] = request.POST.get("pledge") == "yes"
    try:
        objection, token = services.objection_submit(
            actor=request.user,
            notice=notice,
            client_address=client_address(request),
            **form_data,
        )
    except services.TooManyObjections as exc:
        return _detail(request, notice, errors=errors_of(exc), form_data=form_data, status=429)
    except services.NoticeClosed as exc:
        return _detail(request, notice, errors=errors_of(exc), form_data=form_data, status=409)
    except ValidationError as exc:
        return _detail(request, notice, errors=errors_of(exc), form_data=form_data, status=400)
    return render(
        request,
        "notices/objection_received.html",
        {"notice": notice, "objection": objection, "token": token},
    )


@require_http_methods(["GET", "POST"])
@never_cache
def objection_status(request):
    objection = None
    looked_up = request.method == "POST"
    if looked_up:
        objection = selectors.objection_by_token(
            request.POST.get("reference", ""), request.POST.get("token", "")
        )
    return render(
        request,
        "notices/objection_status.html",
        {
            "objection": objection,
            "looked_up": looked_up,
            "reference": request.POST.get("reference", "")[:24],
            "statuses": Objection.Status,
        },
        status=404 if looked_up and objection is None else 200,
    )
