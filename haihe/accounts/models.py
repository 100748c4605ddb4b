"""Accounts with one role each, scoped to a district, an organisation or a person."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role
from haihe.core import clock


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, db_index=True)
    display_name = models.CharField(_("显示名称"), max_length=100, blank=True)
    district = models.ForeignKey(
        "registry.District",
        verbose_name=_("所辖区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("本人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="district_reviewer") | models.Q(district__isnull=False),
                name="district_reviewer_has_district",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=["org_admin", "org_staff"])
                | models.Q(organisation__isnull=False),
                name="org_user_has_organisation",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="worker") | models.Q(person__isnull=False),
                name="worker_has_person",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_bureau(self) -> bool:
        return self.role in BUREAU_ROLES

    @property
    def is_org_user(self) -> bool:
        return self.role in ORG_ROLES


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ApiTokenQuerySet":
        """The bureau administrator sees every token; an organisation administrator the tokens
        of their organisation's accounts; nobody else any."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.BUREAU_ADMIN:
            return self.all()
        if user.role == Role.ORG_ADMIN:
            return self.filter(user__organisation_id=user.organisation_id)
        return self.none()


class ApiToken(models.Model):
    """A revocable token for an organisation's system; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("创建时间"), default=clock.real_now)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    # the organisation an audit event about a row belongs to (core.audit)
    audit_organisation = "user.organisation_id"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class LoginFailure(models.Model):
    """A failed login from one client for one username; recent ones throttle further attempts
    of that client (shared by every app process). `at` is real time."""

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=clock.real_now, db_index=True)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")
        indexes = [
            models.Index(fields=["username", "at"], name="loginfailure_username_at"),
            models.Index(fields=["address", "at"], name="loginfailure_address_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class SecurityAlertQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SecurityAlertQuerySet":
        """The bureau's administrator sees every alert; nobody else any."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.BUREAU_ADMIN:
            return self.all()
        return self.none()


class SecurityAlert(models.Model):
    """Something the bureau's administrator should look at, e.g. sustained failed logins to one
    account from several clients. One alert covers an episode: while failures go on, the open
    alert is updated; a new one is raised only after a quiet alert window."""

    class Kind(models.TextChoices):
        LOGIN_FAILURES = "login_failures", _("多次登录失败")

    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        User, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="security_alerts"
    )
    first_seen_at = models.DateTimeField(_("首次发现"), default=clock.real_now)
    last_seen_at = models.DateTimeField(_("最近发现"), default=clock.real_now, db_index=True)
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    clients = models.PositiveIntegerField(_("来源地址数"), default=0)
    addresses = models.JSONField(_("来源地址"), default=list, blank=True)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SecurityAlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("安全警报")
        verbose_name_plural = _("安全警报")
        ordering = ["-last_seen_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_seen_at__gte=models.F("first_seen_at")),
                name="securityalert_seen_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(acknowledged_at__isnull=True)
                | models.Q(acknowledged_by__isnull=False),
                name="securityalert_acknowledged_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.user.username}"

    @property
    def open(self) -> bool:
        return self.acknowledged_at is None
