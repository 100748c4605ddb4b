"""Dated policy parameters (after OpenFisca): a value has an effective date and a region; a rule
reads the value in force on the date of the fact it judges. Values are never deleted: a wrong one
is voided with a reason, and the bureau adds values in the interface without a code change."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from haihe.core import clock
from haihe.core.validation import choice_check

KINDS = [("int", "int"), ("decimal", "decimal"), ("str", "str"), ("json", "json")]


class Parameter(models.Model):
    key = models.CharField(_("参数键"), max_length=100, unique=True)
    label_zh = models.CharField(_("名称（中文）"), max_length=200)
    label_en = models.CharField(_("名称（英文）"), max_length=200)
    unit = models.CharField(_("单位"), max_length=32, blank=True)
    kind = models.CharField(
        _("取值类型"),
        max_length=16,
        choices=KINDS,
        default="int",
    )
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("政策参数")
        verbose_name_plural = _("政策参数")
        ordering = ["key"]
        constraints = [choice_check("kind", KINDS, name="parameter_kind_valid")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "").startswith("en") else self.label_zh


class ParameterValue(models.Model):
    parameter = models.ForeignKey(Parameter, on_delete=models.PROTECT, related_name="values")
    region_code = models.CharField(_("地区代码"), max_length=6)
    effective_from = models.DateField(_("生效日期"))
    value = models.JSONField(_("取值"))
    source = models.CharField(_("依据"), max_length=500, blank=True)
    confirmed = models.BooleanField(
        _("已核实"), default=True, help_text=_("未核实的取值是合理的默认值，说明中会注明。")
    )
    created_at = models.DateTimeField(_("录入时间"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废理由"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("参数取值")
        verbose_name_plural = _("参数取值")
        ordering = ["parameter__key", "-effective_from"]
        indexes = [models.Index(fields=["parameter", "region_code", "-effective_from"])]

    def __str__(self) -> str:
        return f"{self.parameter.key}@{self.region_code} {self.effective_from}: {self.value}"
