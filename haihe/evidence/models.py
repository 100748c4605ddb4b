"""Evidence: one uploaded file attached to one case of any module (a generic relation).

A row is immutable once made; removal (while the case is editable) voids it with who and when,
and the stored file is kept (nothing a decision depended on is deleted). The database refuses a
row the service would refuse: an empty or oversized file, a malformed SHA-256, a type the
platform does not recognise, a malformed kind code, a half-recorded removal, the same file twice
on one case."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from haihe.core import clock
from haihe.core.validation import bounded, choice_check, range_check
from haihe.evidence.cases import CASE_KINDS, KIND_CODE_MAX
from haihe.evidence.files import MEDIA_TYPES, NAME_MAX, TYPES

# No evidence file may be larger than this, whatever the dated limit (evidence.max_bytes) says.
SIZE_CEILING = 64 * 1024 * 1024
SHA256_PATTERN = r"^[0-9a-f]{64}$"
KIND_PATTERN = r"^[a-z][a-z0-9_]*$"
STORAGE_PREFIX = "evidence/"


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EvidenceQuerySet":
        """The evidence of the cases `user` may see (each registered kind's `visible`)."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        grant = models.Q(pk__in=[])
        for kind in CASE_KINDS.values():
            grant |= models.Q(
                content_type=kind.content_type, object_id__in=kind.visible(user).values("pk")
            )
        return self.filter(grant)

    def live(self) -> "EvidenceQuerySet":
        return self.filter(removed_at__isnull=True)

    def of(self, case: models.Model) -> "EvidenceQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(case), object_id=case.pk)


class Evidence(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("材料类别"), max_length=KIND_CODE_MAX)
    original_name = models.CharField(_("文件名"), max_length=NAME_MAX)
    file = models.FileField(_("文件"), max_length=100, upload_to=STORAGE_PREFIX)
    media_type = models.CharField(
        _("文件类型"), max_length=100, choices=[(t, str(TYPES[t].label)) for t in MEDIA_TYPES]
    )
    size = models.PositiveBigIntegerField(_("大小（字节）"), validators=bounded(1, SIZE_CEILING))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=clock.now)
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("上传单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("移除人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removal_reason = models.CharField(_("移除理由"), max_length=255, blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        ordering = ["content_type", "object_id", "kind", "uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="evidence_case")]
        constraints = [
            range_check("size", 1, SIZE_CEILING, name="evidence_size_range"),
            models.CheckConstraint(
                condition=models.Q(sha256__regex=SHA256_PATTERN), name="evidence_sha256_format"
            ),
            models.CheckConstraint(
                condition=models.lookups.Exact(Length("sha256"), 64),
                name="evidence_sha256_length",
            ),
            choice_check("media_type", [(t, t) for t in MEDIA_TYPES], name="evidence_media_type"),
            models.CheckConstraint(
                condition=models.Q(kind__regex=KIND_PATTERN), name="evidence_kind_format"
            ),
            models.CheckConstraint(
                condition=~models.Q(original_name=""), name="evidence_original_name_set"
            ),
            models.CheckConstraint(
                condition=models.Q(file__startswith=STORAGE_PREFIX), name="evidence_file_stored"
            ),
            models.CheckConstraint(
                condition=models.Q(removed_at__isnull=True, removed_by__isnull=True)
                | models.Q(removed_at__isnull=False, removed_by__isnull=False),
                name="evidence_removal_recorded",
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "sha256"],
                condition=models.Q(removed_at__isnull=True),
                name="evidence_one_live_copy_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.original_name}"

    @property
    def removed(self) -> bool:
        return self.removed_at is not None

    @property
    def file_type(self):
        return TYPES[self.media_type]
