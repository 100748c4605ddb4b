"""The evidence pages: a case page includes `evidence/_case_evidence.html` with `panel(...)`; the
upload and removal forms post here and come back to the case's page; files are served only by
`download`, after the permission check (404 for anyone who may not see the case: a file's
existence is never revealed)."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from haihe.evidence import perms, selectors, services, uploads
from haihe.evidence.cases import CaseKind, case_kind, case_kind_for_model
from haihe.evidence.files import TYPES
from haihe.evidence.models import Evidence

logger = logging.getLogger("haihe.evidence")

# The headers of every served file: the detected type and nothing else (no sniffing), no script,
# plugin or form in it may run (CSP sandbox), not cached by shared caches, not embeddable
# elsewhere.
SERVED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'",
    "Cache-Control": "private, no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Referrer-Policy": "no-referrer",
}


def serve(evidence: Evidence) -> FileResponse:
    """The stored file as a streamed response. Images may be shown inline (with nosniff a
    browser renders them as images, nothing else); PDF and xlsx are always attachments (a PDF
    viewer runs the document's own scripts and ignores the sandbox)."""
    try:
        handle = evidence.file.storage.open(evidence.file.name, "rb")
    except FileNotFoundError:
        logger.error("evidence %s: stored file %s is missing", evidence.pk, evidence.file.name)
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=evidence.media_type,
        as_attachment=not TYPES[evidence.media_type].inline,
        filename=evidence.original_name,
    )
    for name, value in SERVED_HEADERS.items():
        response[name] = value
    return response


def evidence_for_download(user, pk: int) -> Evidence:
    """The evidence `user` may download, else 404 (never 403: its existence stays unknown)."""
    evidence = get_object_or_404(Evidence.objects.live().select_related("content_type"), pk=pk)
    if not perms.can_view_evidence(user, evidence):
        raise Http404
    return evidence


@login_required
@require_GET
def download(request, pk):
    return serve(evidence_for_download(request.user, pk))


def _back(kind: CaseKind, case):
    return redirect(kind.url_of(case)) if kind.url_of else redirect("core:home")


def _case(request, case_key: str, object_id: int):
    try:
        kind = case_kind(case_key)
    except LookupError:
        raise Http404 from None
    return kind, get_object_or_404(kind.visible(request.user), pk=object_id)


@csrf_exempt  # the body is read, and its CSRF token checked, only after the permission check
@login_required
@require_POST
def attach(request, case_key, object_id):
    kind, case = _case(request, case_key, object_id)
    if not perms.can_attach_evidence(request.user, case):
        raise PermissionDenied(_("您不能为该案件上传材料（只能在案件可修改时上传）。"))
    cap = uploads.install(request, selectors.max_bytes())
    return _attach(request, kind, case, cap)


def read_form(request):
    """The upload's file and kind (the body is parsed here, behind the cap), or a 400-worthy
    ValidationError for a body that is not a well-formed multipart form."""
    try:
        return request.FILES.get("file"), request.POST.get("kind", "")
    except MultiPartParserError as exc:
        raise ValidationError(
            {"file": _("上传的表单格式不正确（应为 multipart/form-data）。")}
        ) from exc


@csrf_protect
def _attach(request, kind, case, cap):
    try:
        uploaded, kind_code = read_form(request)
        if "file" in cap.too_large:  # known once the body is read
            raise services.too_large(cap.limit)
        row = services.attach(actor=request.user, case=case, kind=kind_code, uploaded_file=uploaded)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已上传材料：%(name)s。") % {"name": row.original_name})
    return _back(kind, case)


@login_required
@require_POST
def remove(request, pk):
    evidence = evidence_for_download(request.user, pk)
    kind = case_kind_for_model(evidence.case)
    try:
        services.remove(
            actor=request.user, evidence=evidence, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已移除材料：%(name)s。") % {"name": evidence.original_name})
    return _back(kind, evidence.case)
