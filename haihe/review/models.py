"""The record of every step of a staged review: who filed, who decided at which stage, why.

One row per action on a case (submission, resubmission, withdrawal, each stage's approval,
return or rejection), whatever the module: the four-eyes rules read it ("no person acts at two
stages of one case" compares `actor_person`, so one person with two accounts is still one
person), and the case page shows it as the review history. Rows are never changed or deleted.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from haihe.core import clock


class Step(models.TextChoices):
    SUBMIT = "submit", _("提交")
    RESUBMIT = "resubmit", _("修改后重新提交")
    WITHDRAW = "withdraw", _("撤回")
    APPROVE = "approve", _("审核通过")
    RETURN = "return", _("退回修改")
    REJECT = "reject", _("不予通过")


class ReviewActionQuerySet(models.QuerySet):
    def of(self, case: models.Model) -> "ReviewActionQuerySet":
        return self.filter(
            case_type=ContentType.objects.get_for_model(case), case_id=case.pk
        ).select_related("actor")


class ReviewAction(models.Model):
    pipeline = models.CharField(_("审核流程"), max_length=40)
    case_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    case_id = models.BigIntegerField()
    round = models.PositiveSmallIntegerField(_("提交轮次"))
    stage = models.CharField(_("审核环节"), max_length=32, blank=True)
    step = models.CharField(_("操作"), max_length=16, choices=Step.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("理由"), blank=True)
    at = models.DateTimeField(_("时间"), default=clock.now)
    due_on = models.DateField(_("办理时限"), null=True, blank=True)

    objects = ReviewActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case_type", "case_id", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(step__in=[s.value for s in Step]),
                name="review_action_step_known",
            ),
            models.CheckConstraint(
                condition=models.Q(round__gte=1), name="review_action_round_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(step__in=["approve", "return", "reject"]) | ~models.Q(stage=""),
                name="review_action_decision_has_stage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pipeline}#{self.case_id} {self.stage or '-'} {self.step}"
