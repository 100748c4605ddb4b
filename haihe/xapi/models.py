"""The learning record store: platform selection, credentials, statements and documents.

Statements are stored once and never changed, except for the `voided` flag. The columns next to
`payload` are the query keys of the xAPI Statements resource (see `haihe.xapi.keys`): an agent is
kept as the canonical string of its inverse functional identifier, e.g.
``account:https://platform.example|u123`` or ``mbox:mailto:a@example.com``.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role, active_role
from haihe.core import clock
from haihe.xapi.keys import key_hash


class PlatformScopedQuerySet(models.QuerySet):
    """Rows carrying `platform` (a registry.Organisation): the bureau sees all, a district reviewer
    the platforms located in their district, a platform's own staff that platform's rows."""

    platform_field = "platform"

    def visible_to(self, user):
        role = active_role(user)
        if role in BUREAU_ROLES:
            return self.all()
        if role == Role.DISTRICT_REVIEWER:
            return self.filter(**{f"{self.platform_field}__district_id": user.district_id})
        if role in ORG_ROLES:
            return self.filter(**{f"{self.platform_field}_id": user.organisation_id})
        return self.none()


class OrganisationScopedQuerySet(PlatformScopedQuerySet):
    platform_field = "organisation"


class PlatformSelection(models.Model):
    """The bureau's selection of an online training platform for a validity period.

    A platform may send statements only while one of its selections is in force (today within
    [valid_from, valid_until], not revoked, not suspended). Revoking keeps every stored record.
    A selection made through accreditation is the online platform's recognition: suspending or
    revoking the recognition suspends or revokes it."""

    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("线上培训平台"),
        on_delete=models.PROTECT,
        related_name="xapi_selections",
    )
    valid_from = models.DateField(_("入选起始日期"))
    valid_until = models.DateField(_("入选截止日期"))
    note = models.CharField(_("说明"), max_length=255, blank=True)
    selected_at = models.DateTimeField(_("入选登记时间"), default=clock.now)
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("撤销理由"), max_length=255, blank=True)
    # a suspended selection (the platform's recognition suspended) is not in force until resumed
    suspended_at = models.DateTimeField(_("暂停时间"), null=True, blank=True)
    suspend_reason = models.CharField(_("暂停理由"), max_length=500, blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("平台入选")
        verbose_name_plural = _("平台入选")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="xapi_selection_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.valid_from}–{self.valid_until}"

    # the organisation an audit event about a row belongs to (core.audit)
    audit_organisation = "organisation_id"

    def in_force_on(self, day: datetime.date) -> bool:
        return (
            self.revoked_at is None
            and self.suspended_at is None
            and self.valid_from <= day <= self.valid_until
        )


class Credential(models.Model):
    """An xAPI HTTP Basic credential of a platform. Only a digest of the secret is kept (see
    `haihe.xapi.auth.secret_digest`); the secret itself is shown once, when issued."""

    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("线上培训平台"),
        on_delete=models.PROTECT,
        related_name="xapi_credentials",
    )
    key = models.CharField(_("密钥标识"), max_length=40, unique=True)
    secret_digest = models.CharField(max_length=64)
    label = models.CharField(_("用途说明"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("签发时间"), default=clock.real_now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(_("吊销理由"), max_length=255, blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("xAPI 凭据")
        verbose_name_plural = _("xAPI 凭据")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.key

    # the organisation an audit event about a row belongs to (core.audit)
    audit_organisation = "organisation_id"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class Statement(models.Model):
    """One stored xAPI statement. `payload` is the statement as stored (id, stored, authority and
    version filled in); the other columns are derived from it for querying."""

    statement_id = models.UUIDField(unique=True)
    platform = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="xapi_statements",
        db_index=False,
    )
    credential = models.ForeignKey(
        Credential,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    registration = models.UUIDField(null=True, blank=True)
    verb_id = models.TextField()
    activity_id = models.TextField(blank=True, default="")
    actor_key = models.TextField()
    # keys.key_hash of actor_key, activity_id and registration: the indexed columns (see
    # `Statement.q_actor` and friends, which match on the digest and the exact value).
    actor_hash = models.BigIntegerField(null=True, blank=True)
    activity_hash = models.BigIntegerField(null=True, blank=True)
    registration_hash = models.BigIntegerField(null=True, blank=True)
    # NULL (not "") when the object is no agent: `= key` then implies the partial index.
    object_agent_key = models.TextField(null=True, blank=True)  # noqa: DJ001
    object_statement_id = models.UUIDField(null=True, blank=True)
    timestamp = models.DateTimeField()
    stored = models.DateTimeField()
    voided = models.BooleanField(default=False)
    payload = models.JSONField()

    objects = PlatformScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("学习记录")
        verbose_name_plural = _("学习记录")
        indexes = [
            models.Index(fields=["platform", "stored"], name="xapi_st_platform_stored"),
            models.Index(fields=["platform", "verb_id", "stored"], name="xapi_st_verb_stored"),
            # Actors, activities and registrations are random keys: every new statement lands
            # at a random leaf of these three indexes. Indexed by their 8-byte digest alone (the
            # row id, in storing order, follows implicitly) they stay a fifth of the size of
            # (text key, stored) indexes and fit in memory at a million statements and more.
            models.Index(
                fields=["actor_hash"],
                name="xapi_st_actor",
                condition=models.Q(actor_hash__isnull=False),
            ),
            models.Index(
                fields=["activity_hash"],
                name="xapi_st_activity",
                condition=models.Q(activity_hash__isnull=False),
            ),
            models.Index(
                fields=["registration_hash"],
                name="xapi_st_registration_hash",
                condition=models.Q(registration_hash__isnull=False),
            ),
            models.Index(
                fields=["object_statement_id"],
                name="xapi_st_target",
                condition=models.Q(object_statement_id__isnull=False),
            ),
            models.Index(
                fields=["object_agent_key"],
                name="xapi_st_object_agent",
                condition=models.Q(object_agent_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)

    # The filters on the hashed keys: the digest finds the rows through the index, the exact
    # value rules out a collision.
    @staticmethod
    def q_actor(*keys: str) -> models.Q:
        return models.Q(actor_hash__in=[key_hash(k) for k in keys], actor_key__in=keys)

    @staticmethod
    def q_activity(*activity_ids: str) -> models.Q:
        return models.Q(
            activity_hash__in=[key_hash(a) for a in activity_ids], activity_id__in=activity_ids
        )

    @staticmethod
    def q_registration(*registrations: str) -> models.Q:
        """Registrations as lower-case UUID strings with hyphens."""
        return models.Q(
            registration_hash__in=[key_hash(r) for r in registrations],
            registration__in=registrations,
        )


class StatementRelation(models.Model):
    """An agent or activity a statement refers to beyond its actor/object (context activities,
    instructor, team, sub-statement parts): the `related_agents` / `related_activities` filters."""

    AGENT = "g"
    ACTIVITY = "a"
    # No index of its own on `statement`: statements are never deleted, and the (kind, key,
    # statement) index answers the filters without touching the table.
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="relations", db_index=False
    )
    kind = models.CharField(max_length=1)
    key = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "statement"], name="xapi_rel_kind_key")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class Attachment(models.Model):
    """Attachment content, addressed by its SHA-256 (shared by the statements naming it)."""

    sha2 = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=255)
    content = models.BinaryField()
    created_at = models.DateTimeField(default=clock.real_now)

    def __str__(self) -> str:
        return self.sha2


class Document(models.Model):
    """A State, Activity Profile or Agent Profile document of one platform."""

    STATE = "state"
    ACTIVITY_PROFILE = "activity_profile"
    AGENT_PROFILE = "agent_profile"
    platform = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="xapi_documents"
    )
    kind = models.CharField(max_length=20)
    activity_id = models.TextField(blank=True, default="")
    agent_key = models.TextField(blank=True, default="")
    registration = models.CharField(max_length=36, blank=True, default="")
    document_id = models.TextField()
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=64)
    updated = models.DateTimeField()

    objects = PlatformScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "platform",
                    "kind",
                    "activity_id",
                    "agent_key",
                    "registration",
                    "document_id",
                ],
                name="xapi_document_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.document_id}"
