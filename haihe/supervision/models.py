"""What supervision derives from the learning record store.

Learner accounts (a platform's account, real-name registered to a person), learning sessions and
the verified hours per enrolment are *derived*: they are recomputed from the stored statements
for the people a batch of statements touches (services.py) and can be rebuilt at any time.
Flags are not derived data: a reviewer resolves or dismisses them with a reason, so they are
kept, and withdrawn (never deleted) when the statements no longer support them.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haihe.core import clock
from haihe.core.validation import bounded, choice_check, range_check
from haihe.policy.rules import Reason
from haihe.supervision.scopes import (
    FlagQuerySet,
    LearnerAccountQuerySet,
    LearningSessionQuerySet,
    VerifiedHoursQuerySet,
)

# What an integer column holds on PostgreSQL; verification clamps durations to it, so that
# SQLite stores nothing PostgreSQL would refuse.
SECONDS_MAX = 2**31 - 1
HOURS_MAX = Decimal("99999.99")


class LearnerAccount(models.Model):
    """A platform's learner account (xAPI agent `account`), tied to a person by real-name
    registration: a statement whose RIC and name were checked against the registry."""

    platform = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("线上培训平台"),
        on_delete=models.PROTECT,
        related_name="learner_accounts",
    )
    actor_key = models.TextField(_("学员账号"))
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        related_name="learner_accounts",
    )
    registered_at = models.DateTimeField(_("实名登记时间"))
    statement_pk = models.BigIntegerField(
        _("实名登记语句"), null=True, blank=True, validators=bounded(1, 2**63 - 1)
    )
    linked_at = models.DateTimeField(_("关联时间"), default=clock.now)

    objects = LearnerAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("学员账号")
        verbose_name_plural = _("学员账号")
        ordering = ["platform_id", "actor_key"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "actor_key"], name="learner_account_once"),
            range_check(
                "statement_pk",
                1,
                2**63 - 1,
                nullable=True,
                name="learner_account_statement_pk_positive",
            ),
        ]
        indexes = [models.Index(fields=["actor_key"], name="sup_account_actor")]

    def __str__(self) -> str:
        return self.actor_key


class SessionStatus(models.TextChoices):
    OPEN = "open", _("未结束")
    COUNTED = "counted", _("全部计入")
    PARTIAL = "partial", _("部分计入")
    EXCLUDED = "excluded", _("不计入")


class LearningSession(models.Model):
    """One learning session, as verification judged it (derived; rebuilt per person)."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="learning_sessions"
    )
    enrolment = models.ForeignKey(
        "training.Enrolment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="learning_sessions",
    )
    platform = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="learning_sessions"
    )
    key = models.TextField(_("会话标识"))
    actor_key = models.TextField(_("学员账号"))
    session_id = models.CharField(_("会话编号"), max_length=255)
    registration = models.UUIDField(_("学习登记号"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    claimed_seconds = models.PositiveIntegerField(
        _("上报时长（秒）"), null=True, blank=True, validators=bounded(0, SECONDS_MAX)
    )
    elapsed_seconds = models.IntegerField(
        _("起止间隔（秒）"), null=True, blank=True, validators=bounded(-SECONDS_MAX, SECONDS_MAX)
    )
    counted_seconds = models.PositiveIntegerField(
        _("计入时长（秒）"), default=0, validators=bounded(0, SECONDS_MAX)
    )
    status = models.CharField(_("核验结果"), max_length=10, choices=SessionStatus.choices)
    reasons = models.JSONField(_("核验说明"), default=list)
    face_checks = models.JSONField(_("人脸核验"), default=list)
    statement_pks = models.JSONField(default=list)
    computed_at = models.DateTimeField(_("核验时间"), default=clock.now)

    objects = LearningSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("学习会话")
        verbose_name_plural = _("学习会话")
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(fields=["person", "started_at"], name="sup_session_person"),
            models.Index(fields=["platform", "started_at"], name="sup_session_platform"),
            models.Index(fields=["ended_at"], name="sup_session_ended"),
        ]
        constraints = [
            choice_check("status", SessionStatus, name="learning_session_status_valid"),
            range_check(
                "claimed_seconds",
                0,
                SECONDS_MAX,
                nullable=True,
                name="learning_session_claimed_seconds_range",
            ),
            range_check(
                "elapsed_seconds",
                -SECONDS_MAX,
                SECONDS_MAX,
                nullable=True,
                name="learning_session_elapsed_seconds_range",
            ),
            range_check(
                "counted_seconds", 0, SECONDS_MAX, name="learning_session_counted_seconds_range"
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def counted_hours(self):
        from haihe.supervision.verification import hours_of

        return hours_of(self.counted_seconds)

    def reason_objects(self) -> list[Reason]:
        return [Reason.from_dict(r) for r in self.reasons]


class VerifiedHours(models.Model):
    """The verified online learning time of one enrolment, with its explanation."""

    enrolment = models.OneToOneField(
        "training.Enrolment", on_delete=models.CASCADE, related_name="verified_online"
    )
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    seconds = models.PositiveIntegerField(
        _("核验时长（秒）"), default=0, validators=bounded(0, SECONDS_MAX)
    )
    hours = models.DecimalField(
        _("核验学时"),
        max_digits=7,
        decimal_places=2,
        default=0,
        validators=bounded(0, HOURS_MAX),
    )
    explanation = models.JSONField(_("核验说明"), default=dict)
    computed_at = models.DateTimeField(_("核验时间"), default=clock.now)

    objects = VerifiedHoursQuerySet.as_manager()

    class Meta:
        verbose_name = _("线上核验学时")
        verbose_name_plural = _("线上核验学时")
        constraints = [
            range_check("seconds", 0, SECONDS_MAX, name="verified_hours_seconds_range"),
            range_check("hours", 0, HOURS_MAX, name="verified_hours_hours_range"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.hours}"

    def reason_objects(self) -> list[Reason]:
        return [Reason.from_dict(r) for r in self.explanation.get("reasons", [])]


class FlagKind(models.TextChoices):
    FACE_CHECK = "face_check", _("人脸核验不符合要求")
    OVERLAP = "overlap", _("同一平台学习时间重叠")
    OVERLAP_CROSS_PLATFORM = "overlap_cross_platform", _("跨平台学习时间重叠")
    DAILY_CAP = "daily_cap", _("超过每日学习上限")
    OUTSIDE_CLASS_DATES = "outside_class_dates", _("班级起止日期之外的学习")
    AFTER_COMPLETION = "after_completion", _("结业之后的学习")
    WRONG_PLATFORM = "wrong_platform", _("非备案平台上报")
    UNREGISTERED_ACCOUNT = "unregistered_account", _("学员账号未实名登记")
    IDENTITY_MISMATCH = "identity_mismatch", _("学员身份与报名人员不一致")
    UNKNOWN_REGISTRATION = "unknown_registration", _("学习登记号无对应报名")
    INVALID_SESSION = "invalid_session", _("会话起止时间无效")
    INVALID_REGISTRATION = "invalid_registration", _("实名登记信息无效")
    UNKNOWN_PERSON = "unknown_person", _("实名登记人员不在登记库中")
    NAME_MISMATCH = "name_mismatch", _("实名登记姓名与身份证号码不符")
    ACCOUNT_CONFLICT = "account_conflict", _("学员账号已实名登记为他人")


# Flags computed per person by verification (withdrawn when a recomputation no longer raises them).
PERSON_FLAG_KINDS = frozenset(
    {
        FlagKind.FACE_CHECK,
        FlagKind.OVERLAP,
        FlagKind.OVERLAP_CROSS_PLATFORM,
        FlagKind.DAILY_CAP,
        FlagKind.OUTSIDE_CLASS_DATES,
        FlagKind.AFTER_COMPLETION,
        FlagKind.WRONG_PLATFORM,
        FlagKind.UNREGISTERED_ACCOUNT,
        FlagKind.IDENTITY_MISMATCH,
        FlagKind.UNKNOWN_REGISTRATION,
        FlagKind.INVALID_SESSION,
    }
)


class FlagStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    RESOLVED = "resolved", _("已处理")
    DISMISSED = "dismissed", _("已驳回")
    WITHDRAWN = "withdrawn", _("已自动撤销")


class Flag(models.Model):
    """Something a supervisor should look at. Resolved or dismissed with a reason (audited);
    withdrawn by the system when the statements no longer raise it, reopened if they do again."""

    kind = models.CharField(_("类型"), max_length=32, choices=FlagKind.choices, db_index=True)
    subject_key = models.TextField(_("对象"))
    status = models.CharField(
        _("状态"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    platform = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("线上培训平台"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_flags",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_flags",
    )
    enrolment = models.ForeignKey(
        "training.Enrolment",
        verbose_name=_("报名"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_flags",
    )
    district = models.ForeignKey(
        "registry.District",
        verbose_name=_("所属区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    session_key = models.TextField(_("会话标识"), blank=True)
    day = models.DateField(_("日期"), null=True, blank=True)
    details = models.JSONField(_("说明"), default=dict)
    created_at = models.DateTimeField(_("发现时间"), default=clock.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), default=clock.now)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    close_reason = models.TextField(_("处理意见"), blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("监管标记")
        verbose_name_plural = _("监管标记")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_key"], name="flag_once_per_subject"),
            choice_check("kind", FlagKind, name="flag_kind_valid"),
            choice_check("status", FlagStatus, name="flag_status_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "platform"], name="sup_flag_status_platform"),
            models.Index(fields=["status", "district"], name="sup_flag_status_district"),
            models.Index(fields=["person", "status"], name="sup_flag_person"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    # the organisation and district an audit event about a row belongs to (core.audit)
    audit_organisation = "platform_id"
    audit_district = "district_id"

    @property
    def reason(self) -> Reason | None:
        return Reason.from_dict(self.details) if self.details.get("rule") else None


PK_MAX = 2**63 - 1
ATTEMPTS_MAX = 1_000_000


class PendingStatements(models.Model):
    """A stored batch of statements whose processing has not been committed yet.

    Written in the transaction that stores the batch (the `statements_stored` receiver) and
    deleted in the transaction that commits the last of its effects (processing.py): a batch is
    pending exactly as long as its effect is missing, whatever process is killed when, and
    whatever happens to the task queue. `people` is set once the batch's real-name links are
    committed: the people it touches, so that a retry after a crash recomputes them even though
    the links it would have found are already made (and the accounts it unlinked already gone).
    """

    platform = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # the batch's statements (xapi.Statement primary keys), and their range (to find the batches
    # that a re-sent statement belongs to)
    statement_pks = models.JSONField()
    first_pk = models.BigIntegerField(validators=bounded(1, PK_MAX))
    last_pk = models.BigIntegerField(validators=bounded(1, PK_MAX))
    people = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.real_now)
    attempts = models.PositiveIntegerField(default=0, validators=bounded(0, ATTEMPTS_MAX))
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("待处理的学习记录批次")
        verbose_name_plural = _("待处理的学习记录批次")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_pk__gte=models.F("first_pk")),
                name="pending_statements_range_ordered",
            ),
            range_check("first_pk", 1, PK_MAX, name="pending_statements_first_pk_range"),
            range_check("attempts", 0, ATTEMPTS_MAX, name="pending_statements_attempts_range"),
        ]

    def __str__(self) -> str:
        return f"{self.first_pk}–{self.last_pk}"
