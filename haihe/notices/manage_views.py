"""The bureau's pages: every notice with its objection counts, a notice to approve or withdraw,
the objections to investigate and decide."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haihe.core import clock
from haihe.core.identifiers import mask_mobile
from haihe.core.pagination import paginate
from haihe.core.views import object_trail
from haihe.notices import kinds, perms, selectors, services
from haihe.notices.models import PHASE_LABELS, Notice, Objection
from haihe.notices.views import errors_of
from haihe.notices.workflows import notice_workflow, objection_workflow
from haihe.policy.calendar import coverage_warnings

NOTICE_FIELDS = ("kind", "title", "body", "title_en", "body_en", "publisher_name", "contact")


def _require_bureau(user) -> None:
    if not perms.can_manage_notices(user):
        raise PermissionDenied


@login_required
def manage_list(request):
    _require_bureau(request.user)
    status = request.GET.get("status", "")
    notices = Notice.objects.visible_to(request.user).order_by("-created_at", "-pk")
    if status:
        if status not in Notice.Status.values:
            return render(
                request,
                "notices/bad_request.html",
                {"message": _("未知的筛选条件：%(value)s") % {"value": status[:40]}},
                status=400,
            )
        notices = notices.filter(status=status)
    today = clock.today()
    page = paginate(request, notices, 50)
    rows = [(n, PHASE_LABELS[n.phase(today)]) for n in page.object_list]
    return render(
        request,
        "notices/manage_list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": Notice.Status.choices,
            "warnings": coverage_warnings(today),
            "can_create": perms.can_create_notice(request.user) and kinds.manual_kinds(),
        },
    )


@login_required
def manage_create(request):
    _require_bureau(request.user)
    if not perms.can_create_notice(request.user):
        raise PermissionDenied
    errors, form_data = {}, {}
    if request.method == "POST":
        form_data = {name: request.POST.get(name, "") for name in NOTICE_FIELDS}
        form_data["starts_on"] = request.POST.get("starts_on", "").strip()
        starts_on = None
        if form_data["starts_on"]:
            try:
                starts_on = datetime.date.fromisoformat(form_data["starts_on"])
            except ValueError:
                errors["starts_on"] = [_("日期格式应为 YYYY-MM-DD。")]
        kind = kinds.get(form_data["kind"])
        if kind is None or not kind.manual:
            errors["kind"] = [_("请选择公示类型。")]
        if not errors:
            try:
                notice = services.notice_create(
                    actor=request.user,
                    starts_on=starts_on,
                    **{k: v for k, v in form_data.items() if k != "starts_on"},
                )
            except ValidationError as exc:
                errors = errors_of(exc)
            else:
                messages.success(request, _("公示已起草，请由另一位工作人员审核发布。"))
                return redirect("notices:manage_detail", pk=notice.pk)
    return render(
        request,
        "notices/manage_create.html",
        {"errors": errors, "form_data": form_data, "kinds": kinds.manual_kinds()},
        status=400 if errors else 200,
    )


@login_required
def manage_detail(request, pk):
    _require_bureau(request.user)
    notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
    today = clock.today()
    objections = notice.objections.order_by("-received_at", "-pk")
    return render(
        request,
        "notices/manage_detail.html",
        {
            "notice": notice,
            "phase_label": PHASE_LABELS[notice.phase(today)],
            "period_reasons": selectors.period_messages(notice),
            "period_parameters": [
                r for r in notice.period_explanation.get("reasons", []) if r.get("parameter")
            ],
            "objections": [(o, mask_mobile(o.phone)) for o in objections],
            "actions": notice_workflow.available(request.user, notice),
            "approve_refusal": notice_workflow.refusal(request.user, notice, "approve")
            if notice.status == Notice.Status.DRAFT
            else None,
            "trail": object_trail(request.user, notice),
        },
    )


@login_required
@require_POST
def manage_transition(request, pk, action):
    _require_bureau(request.user)
    notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
    try:
        if action == "approve":
            services.notice_approve(actor=request.user, notice=notice)
            messages.success(request, _("公示已发布。"))
        elif action == "withdraw":
            services.notice_withdraw(
                actor=request.user, notice=notice, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("公示已撤回。"))
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("notices:manage_detail", pk=pk)


def _objection_page(request, objection, *, revealed=None):
    notice = objection.notice
    return render(
        request,
        "notices/manage_objection.html",
        {
            "objection": objection,
            "notice": notice,
            "masked_phone": mask_mobile(objection.phone),
            "revealed": revealed,
            "actions": objection_workflow.available(request.user, objection),
            "refusal": None
            if not objection.is_open
            else objection_workflow.refusal(request.user, objection, "dismiss"),
            "trail": object_trail(request.user, objection),
        },
    )


@login_required
def manage_objection(request, pk):
    objection = get_object_or_404(
        Objection.objects.visible_to(request.user).select_related("notice"), pk=pk
    )
    return _objection_page(request, objection)


@login_required
@require_POST
def manage_objection_contact(request, pk):
    objection = get_object_or_404(
        Objection.objects.visible_to(request.user).select_related("notice"), pk=pk
    )
    revealed = services.objection_contact_reveal(actor=request.user, objection=objection)
    return _objection_page(request, objection, revealed=revealed)


OBJECTION_ACTIONS = {
    "investigate": (services.objection_investigate, "note"),
    "uphold": (services.objection_uphold, "reason"),
    "dismiss": (services.objection_dismiss, "reason"),
}


@login_required
@require_POST
def manage_objection_transition(request, pk, action):
    objection = get_object_or_404(
        Objection.objects.visible_to(request.user).select_related("notice"), pk=pk
    )
    if action not in OBJECTION_ACTIONS:
        raise PermissionDenied
    service, argument = OBJECTION_ACTIONS[action]
    try:
        service(
            actor=request.user, objection=objection, **{argument: request.POST.get("reason", "")}
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已处理。"))
    return redirect("notices:manage_objection", pk=pk)
