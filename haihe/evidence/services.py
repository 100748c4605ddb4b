"""Writes: attach a file to a case, remove one. Every check is here (permission first, then the
kind, the size, the content's type, the type the kind accepts, the name against the content),
backed by the model's constraints; every refusal is a ValidationError naming its field.

The file is streamed into the storage (Django's storage API, STORAGES["default"]) under a random
name with no extension, hashed (SHA-256) and counted as it goes; the audit event is written on
the case, so that the case's trail shows what was attached and removed."""

import hashlib
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from haihe.core import clock
from haihe.core.audit import log_action
from haihe.core.workflow import TransitionNotPossible
from haihe.evidence import perms
from haihe.evidence.cases import case_kind_for_model
from haihe.evidence.files import TYPES, Refused, extension_of, sanitise_name, sniff
from haihe.evidence.models import STORAGE_PREFIX, Evidence
from haihe.evidence.selectors import accepted_types, for_case, max_bytes

__all__ = ["accepted_types", "attach", "for_case", "max_bytes", "remove", "too_large"]

CHUNK = 64 * 1024
REASON_MAX = 255


def too_large(limit: int) -> ValidationError:
    return ValidationError(
        {"file": _("文件超过大小上限 %(limit)s。") % {"limit": filesizeformat(limit)}}
    )


def _type_names(types) -> str:
    return "、".join(str(TYPES[t].label) for t in types)


class _Hashing(File):
    """The upload as the storage reads it: counted and hashed chunk by chunk, refused past the
    limit (a stream longer than its declared size is never stored whole)."""

    def __init__(self, upload, limit: int):
        super().__init__(upload, name=None)
        self.upload = upload
        self.limit = limit
        self.digest = hashlib.sha256()
        self.count = 0

    def chunks(self, chunk_size=None):
        self.upload.seek(0)
        for chunk in self.upload.chunks(chunk_size or CHUNK):
            self.count += len(chunk)
            if self.count > self.limit:
                raise too_large(self.limit)
            self.digest.update(chunk)
            yield chunk

    @property
    def size(self):
        return self.upload.size


def _locked(case: models.Model) -> models.Model:
    return type(case)._default_manager.select_for_update().get(pk=case.pk)


def attach(*, actor, case: models.Model, kind: str, uploaded_file, channel: str = "web"):
    """Attach `uploaded_file` (a Django UploadedFile or File) to `case` as evidence of `kind`."""
    case_kind = case_kind_for_model(case)
    if not perms.can_view_case_evidence(actor, case):
        raise PermissionDenied(_("您无权查看该案件的材料。"))
    if not perms.can_attach_evidence(actor, case):
        raise PermissionDenied(_("您不能为该案件上传材料（只能在案件可修改时上传）。"))
    if kind not in case_kind.kinds:
        choices = "、".join(str(label) for label in case_kind.kinds.values())
        raise ValidationError({"kind": _("请选择材料类别：%(choices)s。") % {"choices": choices}})
    if uploaded_file is None:
        raise ValidationError({"file": _("请选择要上传的文件。")})
    limit = max_bytes()
    size = uploaded_file.size
    if not size:
        raise ValidationError({"file": _("文件为空。")})
    if size > limit:
        raise too_large(limit)
    name = sanitise_name(getattr(uploaded_file, "name", "") or "")
    try:
        detected = sniff(uploaded_file, size)
    except Refused as exc:
        raise ValidationError({"file": str(exc)}) from exc
    accepted = accepted_types(case_kind.key, kind)
    if detected.media_type not in accepted:
        raise ValidationError(
            {
                "file": _("%(kind)s只接受：%(types)s（该文件为%(found)s）。")
                % {
                    "kind": case_kind.kind_label(kind),
                    "types": _type_names(accepted),
                    "found": detected.label,
                }
            }
        )
    ext = extension_of(name)
    if ext and ext not in detected.extensions:
        raise ValidationError(
            {
                "file": _(
                    "文件名的扩展名（%(ext)s）与文件内容（%(found)s）不符；请核对后上传正确的文件。"
                )
                % {"ext": ext, "found": detected.label}
            }
        )

    with transaction.atomic():
        locked = _locked(case)
        if not perms.can_attach_evidence(actor, locked):  # it may have been submitted meanwhile
            raise PermissionDenied(_("您不能为该案件上传材料（只能在案件可修改时上传）。"))
        storage = Evidence._meta.get_field("file").storage
        stream = _Hashing(uploaded_file, limit)
        wanted = f"{STORAGE_PREFIX}{uuid.uuid4().hex}"
        try:
            stored = storage.save(wanted, stream)
        except ValidationError:  # longer than it said: never kept, not even in part
            if storage.exists(wanted):
                storage.delete(wanted)
            raise
        try:
            sha256 = stream.digest.hexdigest()
            same = Evidence.objects.of(locked).live().filter(sha256=sha256).first()
            if same is not None:
                raise ValidationError(
                    {"file": _("该文件已上传过（%(name)s）。") % {"name": same.original_name}}
                )
            row = Evidence.objects.create(
                content_type=case_kind.content_type,
                object_id=locked.pk,
                kind=kind,
                original_name=name,
                file=stored,
                media_type=detected.media_type,
                size=stream.count,
                sha256=sha256,
                uploaded_by=actor,
                uploaded_at=clock.now(),
                organisation_id=getattr(actor, "organisation_id", None),
            )
            log_action(
                actor=actor,
                action="evidence.attached",
                target=locked,
                data={
                    "evidence": row.pk,
                    "kind": kind,
                    "name": name,
                    "media_type": row.media_type,
                    "size": row.size,
                    "sha256": sha256,
                },
                channel=channel,
            )
        except (ValidationError, IntegrityError):
            storage.delete(stored)
            raise
    return row


@transaction.atomic
def remove(*, actor, evidence: Evidence, reason: str = "", channel: str = "web") -> Evidence:
    """Void a file attached by mistake, while the case may still be changed. The row and the
    stored file are kept (the case's trail says who removed what, when and why)."""
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("理由不能超过 %(n)d 个字符。") % {"n": REASON_MAX}})
    row = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if row.removed:
        raise TransitionNotPossible(_("该材料已移除。"))
    case = row.case
    if case is None or not perms.can_view_evidence(actor, row):
        raise PermissionDenied(_("您无权查看该材料。"))
    case = _locked(case)
    row.case = case
    if not perms.can_remove_evidence(actor, row):
        raise PermissionDenied(_("您不能移除该材料（只能在案件可修改时移除）。"))
    row.removed_at = clock.now()
    row.removed_by = actor
    row.removal_reason = reason
    row.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    log_action(
        actor=actor,
        action="evidence.removed",
        target=case,
        data={
            "evidence": row.pk,
            "kind": row.kind,
            "name": row.original_name,
            "sha256": row.sha256,
            "reason": reason,
        },
        channel=channel,
    )
    evidence.removed_at, evidence.removed_by = row.removed_at, row.removed_by
    evidence.removal_reason = reason
    return evidence
