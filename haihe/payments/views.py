"""The bureau's payment pages: each payable kind's queue, batches, the bank file and results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haihe.core.pagination import paginate
from haihe.core.views import object_trail
from haihe.payments import perms, services
from haihe.payments.forms import ResultsUploadForm
from haihe.payments.models import Payment, PaymentBatch
from haihe.payments.payables import KINDS


@login_required
def batches(request):
    """Payment batches, and per payable kind the queue of approved items waiting for one."""
    user = request.user
    if not perms.can_view_payments(user):
        raise PermissionDenied
    if request.method == "POST":
        kind = KINDS.get(request.POST.get("kind", ""))
        if kind is None:
            raise Http404
        ids = [int(i) for i in request.POST.getlist("item") if i.isdigit() and len(i) < 19]
        try:
            batch = services.batch_create(
                actor=user,
                kind=kind.key,
                payables=list(kind.model_class._default_manager.filter(pk__in=ids)),
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("payments:batches")
        messages.success(request, _("已编制支付批次 %(number)s。") % {"number": batch.number})
        return redirect("payments:batch", pk=batch.pk)
    queues = []
    for kind in KINDS.values():
        waiting = services.queue(kind).select_related(*kind.related).order_by("pk")
        rows = [
            {
                "pk": p.pk,
                "label": kind.label_of(p),
                "payee": kind.payee(p),
                "amount": kind.amount(p),
                "url": kind.url_of(p) if kind.url_of else "",
            }
            for p in waiting[:200]
        ]
        queues.append({"kind": kind, "rows": rows, "count": waiting.count()})
    return render(
        request,
        "payments/batches.html",
        {
            "queues": queues,
            "batches": paginate(request, PaymentBatch.objects.visible_to(user)),
            "can_manage": perms.can_manage_payments(user),
        },
    )


def _batch_for(request, pk):
    return get_object_or_404(PaymentBatch.objects.visible_to(request.user), pk=pk)


@login_required
def batch_detail(request, pk):
    batch = _batch_for(request, pk)
    upload_errors = None
    if request.method == "POST":
        form = ResultsUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                summary = services.payment_results_upload(
                    actor=request.user, batch=batch, filename=upload.name, data=upload.read()
                )
            except services.ResultFileError as exc:
                upload_errors = exc.rows
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("已登记：支付成功 %(paid)d 笔，失败 %(failed)d 笔。") % summary,
                )
                return redirect("payments:batch", pk=batch.pk)
    else:
        form = ResultsUploadForm()
    lines = list(batch.payments.order_by("id"))
    return render(
        request,
        "payments/batch_detail.html",
        {
            "batch": batch,
            "lines": lines,
            "total": sum((line.amount for line in lines if line.live), 0),
            "can_manage": perms.can_manage_payments(request.user),
            "form": form,
            "upload_errors": upload_errors,
            "trail": object_trail(request.user, batch),
        },
    )


@login_required
@require_POST
def batch_export(request, pk, fmt):
    batch = _batch_for(request, pk)
    try:
        content = services.batch_export(actor=request.user, batch=batch, fmt=fmt)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("payments:batch", pk=batch.pk)
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{batch.number}.{fmt}"'
    return response


@login_required
@require_POST
def batch_cancel(request, pk):
    batch = _batch_for(request, pk)
    try:
        services.batch_cancel(
            actor=request.user, batch=batch, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("payments:batch", pk=batch.pk)


@login_required
@require_POST
def payment_record(request, pk, line_pk):
    batch = _batch_for(request, pk)
    line = get_object_or_404(Payment.objects.filter(batch=batch), pk=line_pk)
    try:
        services.payment_record(
            actor=request.user,
            line=line,
            paid=request.POST.get("result") == "paid",
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("payments:batch", pk=batch.pk)
