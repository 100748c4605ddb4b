"""Public notices (公示) and the objections raised against them.

A notice publishes a result (a selection, a recognition, a competition's results) for a period
of working days during which anyone may object with their real name; it refers to what it
publishes (a row of the owning module, through content type and id) and to its kind (registered
by that module, haihe.notices.kinds). Only when the period has ended with no objection open is
the result final. Counts of objections are kept on the notice by the services, never counted per
request.
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from haihe.core import clock
from haihe.core.scoping import RoleScopedQuerySet


def _english() -> bool:
    return (get_language() or "").startswith("en")


class NoticeQuerySet(RoleScopedQuerySet):
    """The bureau sees every notice (drafts too); everyone else only what has been published,
    through `public()`."""

    def public(self) -> "NoticeQuerySet":
        return self.filter(approved_at__isnull=False).exclude(status=Notice.Status.DRAFT)


class Notice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("待审核发布")
        PUBLISHED = "published", _("已发布")
        FINAL = "final", _("公示期满无异议，结果生效")
        OBJECTION_UPHELD = "objection_upheld", _("公示期满，异议成立")
        WITHDRAWN = "withdrawn", _("已撤回")

    CLOSED = (Status.FINAL, Status.OBJECTION_UPHELD, Status.WITHDRAWN)

    reference = models.CharField(_("公示编号"), max_length=20, unique=True, null=True, blank=True)
    kind = models.CharField(_("公示类型"), max_length=100, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    title_en = models.CharField(_("标题（英文）"), max_length=300, blank=True)
    body = models.TextField(_("正文"))
    body_en = models.TextField(_("正文（英文）"), blank=True)
    publisher_name = models.CharField(_("发布单位"), max_length=200)
    contact = models.CharField(_("书面异议联系方式"), max_length=300, blank=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    requested_start = models.DateField(_("拟公示开始日期"), null=True, blank=True)
    period_working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), null=True)
    starts_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("公示截止日期"), null=True, blank=True)
    period_explanation = models.JSONField(_("公示期说明"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拟稿人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("拟稿时间"), default=clock.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closing_note = models.CharField(_("办结说明"), max_length=500, blank=True)
    objections_total = models.PositiveIntegerField(_("异议数"), default=0)
    objections_open = models.PositiveIntegerField(_("待处理异议数"), default=0)
    objections_upheld = models.PositiveIntegerField(_("成立的异议数"), default=0)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["status", "ends_on"], name="notice_status_ends"),
            models.Index(fields=["target_type", "target_id"], name="notice_target"),
            models.Index(fields=["-starts_on", "-id"], name="notice_public_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["draft", "published", "final", "objection_upheld", "withdrawn"]
                ),
                name="notice_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(status="withdrawn", approved_at__isnull=True)
                | models.Q(
                    starts_on__isnull=False, ends_on__isnull=False, approved_at__isnull=False
                ),
                name="notice_published_has_period",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="notice_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(objections_open__lte=models.F("objections_total"))
                & models.Q(objections_upheld__lte=models.F("objections_total")),
                name="notice_objection_counts",
            ),
            models.CheckConstraint(
                condition=~models.Q(title="") & ~models.Q(body=""), name="notice_has_text"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or '—'} {self.title}"

    @property
    def display_title(self) -> str:
        return self.title_en if (_english() and self.title_en) else self.title

    @property
    def display_body(self) -> str:
        return self.body_en if (_english() and self.body_en) else self.body

    @property
    def kind_label(self):
        from haihe.notices import kinds

        kind = kinds.get(self.kind)
        return kind.label if kind else self.kind

    def phase(self, today) -> str:
        """Where the notice stands on `today`: draft, upcoming, open (objections accepted),
        reviewing (period over, objections still open), or its closed status."""
        if self.status != self.Status.PUBLISHED:
            return self.status
        if today < self.starts_on:
            return "upcoming"
        if today <= self.ends_on:
            return "open"
        return "reviewing"

    def accepts_objections(self, today) -> bool:
        return self.phase(today) == "open"


PHASE_LABELS = {
    "draft": _("待审核发布"),
    "upcoming": _("即将公示"),
    "open": _("公示中"),
    "reviewing": _("公示期已满，异议处理中"),
    "final": _("公示期满，结果生效"),
    "objection_upheld": _("公示期满，异议成立"),
    "withdrawn": _("已撤回"),
}


def client_digest(address: str | None) -> str:
    """A keyed digest of the client's address: enough to limit submissions per address, and
    not the address itself (data minimisation)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()


def normalise_token(token: str) -> str:
    """An access code as typed back: case, spaces and hyphens do not matter."""
    return re.sub(r"[\s\-]", "", token or "").upper()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ObjectionQuerySet(RoleScopedQuerySet):
    """Objections are seen by the bureau only (no district, organisation or person path); an
    objector follows their own by reference and secret token (`selectors.objection_by_token`)."""


class Objection(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("已收到")
        INVESTIGATING = "investigating", _("调查核实中")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    OPEN = (Status.RECEIVED, Status.INVESTIGATING)

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    reference = models.CharField(_("异议编号"), max_length=24, unique=True, null=True, blank=True)
    token_digest = models.CharField(max_length=64)
    name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("联系电话"), max_length=20)
    email = models.EmailField(_("电子邮箱"), max_length=254, blank=True)
    organisation = models.CharField(_("工作单位"), max_length=100, blank=True)
    grounds = models.TextField(_("异议内容"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    resolution = models.TextField(_("处理结论"), blank=True)
    received_at = models.DateTimeField(_("收到时间"), default=clock.now)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Throttling: the keyed digest of the client's address and the real instant it submitted.
    client_digest = models.CharField(max_length=64)
    client_seen_at = models.DateTimeField(default=clock.real_now)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["client_digest", "client_seen_at"], name="objection_client")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["received", "investigating", "upheld", "dismissed"]),
                name="objection_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(name="") & ~models.Q(phone="") & ~models.Q(grounds=""),
                name="objection_has_name_contact_grounds",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["received", "investigating"])
                | ~models.Q(resolution=""),
                name="objection_resolved_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN
