"""What every module needs: the audit log of business actions."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from haihe.core import clock


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AuditEventQuerySet":
        """The bureau sees the whole log; a district reviewer their district's events; an
        organisation administrator their organisation's; nobody else any."""
        from haihe.accounts.roles import BUREAU_ROLES, Role

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in BUREAU_ROLES:
            return self.all()
        if user.role == Role.DISTRICT_REVIEWER:
            return self.filter(district_id=user.district_id)
        if user.role == Role.ORG_ADMIN:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()


class AuditEvent(models.Model):
    """One business action: who, when, what, on which object, with what data.

    Written by services only (see `haihe.core.audit.log_action`); never updated or deleted.
    """

    at = models.DateTimeField(_("时间"), default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人名称"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(_("对象"), max_length=255, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    district_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    channel = models.CharField(_("渠道"), max_length=16, default="web")
    data = models.JSONField(_("数据"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ImportJobQuerySet":
        """An upload (its rows and its errors) is seen only by the account that uploaded it."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(uploaded_by=user)


class ImportJob(models.Model):
    """An uploaded table being imported in the background; all or nothing."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        CHECKING = "checking", _("检查中")
        WRITING = "writing", _("写入中")
        FAILED = "failed", _("未导入（有错误）")
        DONE = "done", _("已导入")

    kind = models.CharField(_("导入类型"), max_length=50)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    language = models.CharField(max_length=10, default="zh-hans")
    filename = models.CharField(_("文件名"), max_length=255)
    data = models.BinaryField()
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    summary = models.JSONField(_("结果"), default=dict, blank=True)
    created_at = models.DateTimeField(_("上传时间"), default=clock.real_now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"

    # the organisation an audit event about a row belongs to (core.audit)
    audit_organisation = "organisation_id"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.FAILED, self.Status.DONE)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.processed_rows / self.total_rows))


class NumberSequence(models.Model):
    """The last serial handed out for one numbering key (core.numbering)."""

    key = models.CharField(max_length=64, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")

    def __str__(self) -> str:
        return f"{self.key}={self.last}"
