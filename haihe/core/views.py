import datetime

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from haihe.accounts.perms import can_view_audit_log
from haihe.core import audit_display, homes
from haihe.core.imports import IMPORTERS, job_create
from haihe.core.models import AuditEvent, ImportJob
from haihe.core.pagination import csv_download, paginate
from haihe.core.tabular import template


def home(request):
    """The page a user walks into: the public home, or the home the user's role registered
    (haihe.core.homes; the portal's "what needs you now" pages)."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "core/home_public.html")
    view = homes.view_for(user) if user.is_active else None
    if view is not None:
        return view(request)
    return render(request, "core/home_user.html")


def _audit_filtered(request):
    events = AuditEvent.objects.visible_to(request.user).select_related("target_type")
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    target = request.GET.get("target", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if target:
        events = events.filter(target_label__icontains=target)
    for param, lookup in (("since", "at__date__gte"), ("until", "at__date__lte")):
        value = request.GET.get(param, "")
        if value:
            try:
                events = events.filter(**{lookup: datetime.date.fromisoformat(value)})
            except ValueError:
                pass
    return events


@login_required
def audit_log(request):
    if not can_view_audit_log(request.user):
        raise PermissionDenied
    events = _audit_filtered(request)
    return render(
        request,
        "core/audit_log.html",
        {"page": paginate(request, events, 50), "filters": request.GET},
    )


@login_required
def audit_export(request):
    if not can_view_audit_log(request.user):
        raise PermissionDenied
    response, writer = csv_download("audit-log.csv")
    writer.writerow(
        [
            _("时间"),
            _("操作人"),
            _("操作"),
            _("说明"),
            _("对象类型"),
            _("对象"),
            _("渠道"),
            _("变更"),
            _("数据"),
        ]
    )
    for event in _audit_filtered(request).iterator(chunk_size=2000):
        writer.writerow(
            [
                event.at.isoformat(),
                event.actor_label,
                event.action,
                audit_display.plain(event),
                event.target_type.model if event.target_type else "",
                event.target_label,
                audit_display.channel_label(event.channel),
                audit_display.plain_changes(event),
                event.data,
            ]
        )
    return response


@login_required
def import_start(request, kind):
    importer = IMPORTERS.get(kind)
    if importer is None or not importer.may_import(request.user):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("请选择要上传的文件。")
        elif not upload.name.lower().endswith((".xlsx", ".csv")):
            error = _("只接受 .xlsx 或 .csv 文件。")
        else:
            job = job_create(
                actor=request.user, kind=kind, filename=upload.name, data=upload.read()
            )
            return redirect("core:import_job", pk=job.pk)
    jobs = ImportJob.objects.visible_to(request.user).filter(kind=kind).defer("data")[:10]
    return render(
        request,
        "core/import_start.html",
        {"importer": importer, "error": error, "jobs": jobs},
    )


@login_required
def import_template(request, kind, fmt):
    importer = IMPORTERS.get(kind)
    if importer is None or fmt not in ("xlsx", "csv"):
        raise PermissionDenied
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(template(importer.columns, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="haihe-{kind}-template.{fmt}"'
    return response


@login_required
def import_job(request, pk):
    job = get_object_or_404(ImportJob.objects.visible_to(request.user).defer("data"), pk=pk)
    importer = IMPORTERS[job.kind]
    template_name = (
        "core/_import_job.html" if request.headers.get("HX-Request") else "core/import_job.html"
    )
    return render(request, template_name, {"job": job, "importer": importer})


def object_trail(user, obj):
    """The audit trail of one record, as far as `user` may see the log."""
    return AuditEvent.objects.visible_to(user).filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
    )[:50]
