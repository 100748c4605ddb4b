"""The registry: districts, occupations, people and organisations.

One person per Resident Identity Card number, one organisation per Unified Social Credit Code.
Birth date and sex are derived from the RIC, never typed twice.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from haihe.core import clock
from haihe.core.identifiers import mask_mobile, mask_ric
from haihe.registry.scopes import (
    KeyGroupMembershipQuerySet,
    OrganisationQuerySet,
    PersonQuerySet,
)


class BilingualName(models.Model):
    name_zh = models.CharField(_("名称（中文）"), max_length=200)
    name_en = models.CharField(_("名称（英文）"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        lang = (get_language() or "zh-hans").lower()
        if lang.startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    def __str__(self) -> str:
        return self.name


class District(BilingualName):
    """A district of the region this installation serves (data, so another city loads its own)."""

    code = models.CharField(_("行政区划代码"), max_length=6, unique=True)
    region_code = models.CharField(_("所属地区代码"), max_length=6, db_index=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("区")
        verbose_name_plural = _("区")
        ordering = ["sort_order", "code"]


class Occupation(BilingualName):
    """An occupation of the national catalogue, with the skill levels offered (1 = highest)."""

    code = models.CharField(_("职业编码"), max_length=16, unique=True)
    levels = models.JSONField(_("开设等级"), default=list)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("职业")
        verbose_name_plural = _("职业")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SkillLevel(models.IntegerChoices):
    """National skill levels: 1 is the highest (高级技师), 5 the entry level (初级工)."""

    LEVEL_1 = 1, _("一级/高级技师")
    LEVEL_2 = 2, _("二级/技师")
    LEVEL_3 = 3, _("三级/高级工")
    LEVEL_4 = 4, _("四级/中级工")
    LEVEL_5 = 5, _("五级/初级工")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Person(models.Model):
    ric = models.CharField(_("居民身份证号码"), max_length=18, unique=True)
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    birth_date = models.DateField(_("出生日期"), editable=False)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, editable=False)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("居住区"), on_delete=models.PROTECT, related_name="residents"
    )
    created_at = models.DateTimeField(_("登记时间"), default=clock.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.masked_ric})"

    @property
    def masked_ric(self) -> str:
        return mask_ric(self.ric)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    # the district an audit event about a row belongs to (core.audit)
    audit_district = "district_id"

    def age_on(self, day) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class KeyGroup(models.TextChoices):
    UNEMPLOYED_GRADUATE = "unemployed_graduate", _("离校 2 年内未就业高校毕业生")
    EMPLOYMENT_DIFFICULTY = "employment_difficulty", _("就业困难人员")
    REGISTERED_UNEMPLOYED = "registered_unemployed", _("登记失业人员")
    ZERO_EMPLOYMENT_HOUSEHOLD = "zero_employment_household", _("零就业家庭成员")
    MIGRANT_WORKER = "migrant_worker", _("农民工")
    POVERTY_ALLEVIATION = "poverty_alleviation", _("建档立卡贫困劳动力")
    VETERAN = "veteran", _("退役军人")


class KeyGroupMembership(models.Model):
    """A dated membership of a key group, with its evidence. Voided, never deleted."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="key_groups", verbose_name=_("人员")
    )
    group = models.CharField(_("重点群体"), max_length=32, choices=KeyGroup.choices)
    valid_from = models.DateField(_("起始日期"))
    valid_until = models.DateField(_("截止日期"), null=True, blank=True)
    evidence = models.CharField(_("证明材料"), max_length=255)
    recorded_at = models.DateTimeField(_("登记时间"), default=clock.now)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.CharField(_("作废理由"), max_length=255, blank=True)

    objects = KeyGroupMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("重点群体身份")
        verbose_name_plural = _("重点群体身份")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="keygroup_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()} {self.valid_from}–{self.valid_until or ''}"

    def is_valid_on(self, day) -> bool:
        return (
            self.voided_at is None
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )


class OrgKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    TRAINING_INSTITUTION = "training_institution", _("培训机构")
    TECHNICAL_SCHOOL = "technical_school", _("技工院校")
    ONLINE_TRAINING_PLATFORM = "online_training_platform", _("线上培训平台")
    SUPERVISION_PLATFORM = "supervision_platform", _("线上培训监管平台")
    EVALUATION_BODY = "evaluation_body", _("评价机构")
    BUREAU = "bureau", _("人社部门")


class SizeClass(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class Organisation(models.Model):
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    district = models.ForeignKey(
        District, verbose_name=_("所在区"), on_delete=models.PROTECT, related_name="organisations"
    )
    size_class = models.CharField(
        _("企业规模"), max_length=8, choices=SizeClass.choices, blank=True
    )
    address = models.CharField(_("地址"), max_length=255, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_mobile = models.CharField(_("联系电话"), max_length=11, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=100, blank=True)
    bank_account = models.CharField(_("银行账号"), max_length=34, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=clock.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    # the organisation and district an audit event about a row belongs to (core.audit)
    audit_organisation = "pk"
    audit_district = "district_id"

    def kind_codes(self) -> list[str]:
        return [k.kind for k in self.kinds.all()]

    def has_kind(self, kind: str) -> bool:
        return kind in self.kind_codes()


class OrganisationKind(models.Model):
    """One of an organisation's kinds; an organisation may have several."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="kinds")
    kind = models.CharField(_("类型"), max_length=32, choices=OrgKind.choices, db_index=True)
    since = models.DateField(_("起始日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("单位类型")
        verbose_name_plural = _("单位类型")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="org_kind_unique")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class InsuranceStatus(models.TextChoices):
    INSURED = "insured", _("正常参保")
    ARREARS = "arrears", _("欠缴")
    SUSPENDED = "suspended", _("暂停参保")


class InsurancePeriod(models.Model):
    """The organisation's social-insurance status over a period."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="insurance_periods"
    )
    status = models.CharField(_("参保状态"), max_length=16, choices=InsuranceStatus.choices)
    valid_from = models.DateField(_("起始日期"))
    valid_until = models.DateField(_("截止日期"), null=True, blank=True)
    insured_headcount = models.PositiveIntegerField(_("参保人数"), null=True, blank=True)

    class Meta:
        verbose_name = _("参保状态")
        verbose_name_plural = _("参保状态")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.valid_from}–{self.valid_until or ''}"


class Relation(models.TextChoices):
    EMPLOYEE = "employee", _("职工")
    TRAINEE = "trainee", _("学员")
    STUDENT = "student", _("在校生")
    # Written by registrations until they stopped tying people to organisations: history only,
    # it grants nothing (scopes.REASON_RELATIONS).
    REGISTERED = "registered", _("登记人员")


class RevealPurpose(models.TextChoices):
    """Why someone views a person's full RIC and phone number (recorded in the audit event)."""

    IDENTITY_CHECK = "identity_check", _("核对身份（报名、实名注册）")
    SUBSIDY_REVIEW = "subsidy_review", _("审核补贴申领")
    PAYMENT = "payment", _("补贴发放")
    CONTACT = "contact", _("联系本人")
    RECORD_CORRECTION = "record_correction", _("更正登记信息")
    OTHER = "other", _("其他（请说明）")
    OWN_RECORD = "own_record", _("本人查看")


class Affiliation(models.Model):
    """A person's tie to an organisation; it is what lets the organisation see the person."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="affiliations"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="affiliations")
    relation = models.CharField(_("关系"), max_length=16, choices=Relation.choices)
    since = models.DateField(_("起始日期"))
    until = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("人员关系")
        verbose_name_plural = _("人员关系")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person", "relation"], name="affiliation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.organisation_id} {self.relation}"
