"""The evidence API (mounted at /api/v1/evidence): a case's evidence, uploading a file to it
(multipart/form-data: `kind`, `file`), a file's record, the file itself, and removal.

A case is named by its kind's key and id (`/cases/subsidy_claim/42`); a case or a file the caller
may not see is a 404. The upload's body is read only after the permission check (it takes no
ninja body parameter: the view reads request.FILES itself, behind the size cap)."""

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from haihe.core.apischema import Id
from haihe.evidence import perms, selectors, services, uploads
from haihe.evidence.cases import KIND_CODE_MAX, case_kind, case_kind_for_content_type
from haihe.evidence.files import MEDIA_TYPES
from haihe.evidence.models import Evidence
from haihe.evidence.views import evidence_for_download, read_form, serve

router = Router(tags=["evidence"])

# a registered case kind's key, e.g. subsidy_claim
CaseKey = Annotated[str, Field(max_length=KIND_CODE_MAX)]


class EvidenceOut(Schema):
    id: int
    case: str = Field(description="the case kind's key, e.g. subsidy_claim")
    case_id: int
    kind: str = Field(description="the evidence kind's code, e.g. attendance_sheet")
    kind_label: str
    name: str = Field(description="the uploader's file name (for display only)")
    media_type: str = Field(description="detected from the content")
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime.datetime
    download: str = Field(description="the file (permission-checked)")


class RemoveIn(Schema):
    reason: str = Field("", max_length=255)


def _out(row: Evidence) -> dict:
    kind = case_kind_for_content_type(row.content_type_id)
    return {
        "id": row.pk,
        "case": kind.key,
        "case_id": row.object_id,
        "kind": row.kind,
        "kind_label": kind.kind_label(row.kind),
        "name": row.original_name,
        "media_type": row.media_type,
        "size": row.size,
        "sha256": row.sha256,
        "uploaded_by": row.uploaded_by.get_username(),
        "uploaded_at": row.uploaded_at,
        "download": reverse("api-v1:evidence_file", args=[row.pk]),
    }


def _case(user, case_key: str, case_id: int):
    try:
        kind = case_kind(case_key)
    except LookupError:
        raise Http404 from None
    case = kind.visible(user).filter(pk=case_id).first()
    if case is None or not perms.can_view_case_evidence(user, case):
        raise Http404
    return case


@router.get("/cases/{case_key}/{case_id}", response=list[EvidenceOut], summary="A case's evidence")
def case_evidence(request, case_key: CaseKey, case_id: Id):
    case = _case(request.auth, case_key, case_id)
    return Status(200, [_out(row) for row in selectors.for_case(request.auth, case)])


UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["kind", "file"],
                    "properties": {
                        "kind": {"type": "string", "maxLength": KIND_CODE_MAX},
                        "file": {"type": "string", "format": "binary"},
                    },
                }
            }
        },
    }
}


@router.post(
    "/cases/{case_key}/{case_id}",
    response={201: EvidenceOut},
    summary="Attach a file (PDF, PNG, JPEG, xlsx; typed by content, size-limited)",
    openapi_extra=UPLOAD_BODY,
)
def case_attach(request, case_key: CaseKey, case_id: Id):
    user = request.auth
    case = _case(user, case_key, case_id)
    if not perms.can_attach_evidence(user, case):
        raise PermissionDenied(_("您不能为该案件上传材料（只能在案件可修改时上传）。"))
    cap = uploads.install(request, selectors.max_bytes())
    uploaded, kind = read_form(request)
    if "file" in cap.too_large:
        raise services.too_large(cap.limit)
    row = services.attach(actor=user, case=case, kind=kind, uploaded_file=uploaded, channel="api")
    return Status(201, _out(row))


@router.get("/{evidence_id}", response=EvidenceOut, summary="A file's record")
def evidence(request, evidence_id: Id):
    return Status(200, _out(evidence_for_download(request.auth, evidence_id)))


@router.get(
    "/{evidence_id}/file",
    url_name="evidence_file",
    summary="The file itself (its detected type; attachment; sandboxed)",
    openapi_extra={
        "responses": {
            200: {
                "description": "the stored file, with its detected media type",
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}} for t in MEDIA_TYPES
                },
            }
        }
    },
)
def evidence_file(request, evidence_id: Id):
    return serve(evidence_for_download(request.auth, evidence_id))


@router.post(
    "/{evidence_id}/remove",
    response=EvidenceOut,
    summary="Remove a file attached by mistake (while the case may be changed)",
)
def evidence_remove(request, evidence_id: Id, payload: RemoveIn | None = None):
    row = evidence_for_download(request.auth, evidence_id)
    services.remove(
        actor=request.auth, evidence=row, reason=payload.reason if payload else "", channel="api"
    )
    row.refresh_from_db()
    return Status(200, _out(row))
