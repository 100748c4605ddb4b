from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from haihe.core.identifiers import validate_mobile, validate_ric
from haihe.registry.models import District, Occupation, Organisation, OrgKind, SkillLevel
from haihe.training.models import Mode, OutcomeKind, SessionKind

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}
TIME = {"widget": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class ClassForm(forms.Form):
    name = forms.CharField(label=_("班级名称"), max_length=200, required=False)
    occupation = forms.ModelChoiceField(
        label=_("职业（工种）"), queryset=Occupation.objects.filter(active=True)
    )
    level = forms.TypedChoiceField(label=_("培训等级"), choices=SkillLevel.choices, coerce=int)
    mode = forms.ChoiceField(label=_("培训方式"), choices=Mode.choices)
    platform = forms.ModelChoiceField(
        label=_("线上培训平台"),
        queryset=Organisation.objects.filter(kinds__kind=OrgKind.ONLINE_TRAINING_PLATFORM),
        required=False,
        help_text=_("线上或线上线下结合的培训必选。"),
    )
    planned_theory_hours = forms.DecimalField(
        label=_("计划理论课时"), min_value=0, max_digits=7, decimal_places=2
    )
    planned_practice_hours = forms.DecimalField(
        label=_("计划实操课时"), min_value=0, max_digits=7, decimal_places=2
    )
    start_date = forms.DateField(label=_("开班日期"), **DATE)
    end_date = forms.DateField(label=_("结业日期"), **DATE)
    district = forms.ModelChoiceField(label=_("培训地点所在区"), queryset=District.objects.all())
    venue = forms.CharField(label=_("培训地点"), max_length=255, required=False)
    teachers = forms.CharField(
        label=_("授课教师"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    capacity = forms.IntegerField(label=_("计划人数"), min_value=1, max_value=10_000)


class EnrolForm(forms.Form):
    ric = forms.CharField(label=_("居民身份证号码"), max_length=20)
    name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = forms.CharField(label=_("手机号码"), max_length=20, required=False)

    def clean_ric(self):
        return validate_ric(self.cleaned_data["ric"]).number

    def clean_mobile(self):
        value = self.cleaned_data["mobile"]
        return validate_mobile(value) if value else ""


class SessionForm(forms.Form):
    date = forms.DateField(label=_("日期"), **DATE)
    starts_at = forms.TimeField(label=_("开始时间"), **TIME)
    ends_at = forms.TimeField(label=_("结束时间"), **TIME)
    kind = forms.ChoiceField(label=_("类型"), choices=SessionKind.choices)
    hours = forms.DecimalField(
        label=_("学时"),
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=2,
        help_text=_("不填则按时长计算（以半小时计）。"),
    )
    topic = forms.CharField(label=_("内容"), max_length=200, required=False)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("成果类型"), choices=OutcomeKind.choices)
    certificate_number = forms.CharField(label=_("证书编号"), max_length=32)
    issuing_body = forms.CharField(label=_("发证机构"), max_length=200)
    issued_on = forms.DateField(label=_("发证日期"), **DATE)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise ValidationError(_("请填写理由。"))
        return value
