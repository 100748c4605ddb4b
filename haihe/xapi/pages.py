"""Operators' pages: online training platforms, their selection and their xAPI credentials."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haihe.accounts.roles import Role
from haihe.core import clock
from haihe.registry.models import Organisation, OrgKind
from haihe.xapi import perms, services
from haihe.xapi.auth import selection_in_force_q
from haihe.xapi.models import Credential, PlatformSelection


def _platforms(user):
    if not perms.can_view_platforms(user):
        raise PermissionDenied
    return Organisation.objects.visible_to(user).of_kind(OrgKind.ONLINE_TRAINING_PLATFORM)


@login_required
def platform_list(request):
    today = clock.today()
    platforms = (
        _platforms(request.user)
        .annotate(
            selections_in_force=Count(
                "xapi_selections",
                filter=Q(
                    **{f"xapi_selections__{k}": v for k, v in selection_in_force_q(today).children}
                ),
                distinct=True,
            ),
            active_credentials=Count(
                "xapi_credentials",
                filter=Q(xapi_credentials__revoked_at__isnull=True),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    return render(request, "xapi/platform_list.html", {"platforms": platforms, "today": today})


def _message_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def platform_detail(request, pk):
    platform = get_object_or_404(_platforms(request.user), pk=pk)
    return render(
        request,
        "xapi/platform_detail.html",
        {
            "platform": platform,
            "selections": PlatformSelection.objects.filter(organisation=platform),
            "credentials": Credential.objects.filter(organisation=platform),
            "can_select": perms.can_select_platform(request.user),
            "can_issue": perms.can_issue_credential(request.user, platform),
            "can_revoke_own": request.user.role != Role.DISTRICT_REVIEWER,
            "in_force": services.selection_in_force(platform),
            "statement_count": platform.xapi_statements.count(),
        },
    )


def _date(value: str, label: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            _("%(label)s 不是有效日期（YYYY-MM-DD）。") % {"label": label}
        ) from exc


@login_required
@require_POST
def platform_select_view(request, pk):
    platform = get_object_or_404(_platforms(request.user), pk=pk)
    try:
        services.platform_select(
            actor=request.user,
            organisation=platform,
            valid_from=_date(request.POST.get("valid_from"), _("入选起始日期")),
            valid_until=_date(request.POST.get("valid_until"), _("入选截止日期")),
            note=request.POST.get("note", "")[:255],
        )
        messages.success(request, _("已登记平台入选。"))
    except ValidationError as exc:
        _message_errors(request, exc)
    return redirect("xapi:platform-detail", pk=platform.pk)


@login_required
@require_POST
def selection_revoke_view(request, pk):
    selection = get_object_or_404(
        PlatformSelection.objects.visible_to(request.user).select_related("organisation"), pk=pk
    )
    try:
        services.selection_revoke(
            actor=request.user, selection=selection, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("已撤销平台入选；该平台此后提交的学习记录将被拒绝。"))
    except ValidationError as exc:
        _message_errors(request, exc)
    return redirect("xapi:platform-detail", pk=selection.organisation_id)


@login_required
@require_POST
def credential_issue_view(request, pk):
    platform = get_object_or_404(_platforms(request.user), pk=pk)
    try:
        credential, key, secret = services.credential_issue(
            actor=request.user, organisation=platform, label=request.POST.get("label", "")
        )
    except ValidationError as exc:
        _message_errors(request, exc)
        return redirect("xapi:platform-detail", pk=platform.pk)
    response = render(
        request,
        "xapi/credential_issued.html",
        {
            "platform": platform,
            "credential": credential,
            "key": key,
            "secret": secret,
            "endpoint": request.build_absolute_uri("/xapi/"),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def credential_revoke_view(request, pk):
    credential = get_object_or_404(Credential.objects.visible_to(request.user), pk=pk)
    try:
        services.credential_revoke(
            actor=request.user, credential=credential, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("凭据已吊销。"))
    except ValidationError as exc:
        _message_errors(request, exc)
    return redirect("xapi:platform-detail", pk=credential.organisation_id)
