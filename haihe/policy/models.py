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


class CalendarYear(models.Model):
    """One year of the working-day calendar, as the State Council set it (国务院办公厅关于某年
    部分节假日安排的通知 and any later amendment). A year without a row is not covered: working
    days in it are not counted at all (haihe.policy.calendar refuses with the reason)."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.TextField(_("依据"), help_text=_("国务院办公厅通知的名称、文号和日期。"))
    created_at = models.DateTimeField(_("录入时间"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1999, year__lte=2100), name="calendar_year_range"
            )
        ]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day the calendar makes different from the plain week: a day off (放假, including the
    weekend days a holiday joins) or a weekend day that is worked (调休上班). Never deleted: a
    wrong entry is voided with a reason, and a day has at most one entry in force."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("调休上班")

    calendar = models.ForeignKey(CalendarYear, on_delete=models.PROTECT, related_name="days")
    day = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name_zh = models.CharField(_("节日名称（中文）"), max_length=60)
    name_en = models.CharField(_("节日名称（英文）"), max_length=80)
    source = models.CharField(_("依据"), max_length=200)
    created_at = models.DateTimeField(_("录入时间"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废理由"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"], condition=models.Q(voided_at__isnull=True), name="calendar_day_once"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]), name="calendar_day_kind"
            ),
            models.CheckConstraint(
                condition=~models.Q(name_zh="") & ~models.Q(name_en=""), name="calendar_day_named"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()} {self.name_zh}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh
