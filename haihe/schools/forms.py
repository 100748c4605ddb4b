from django import forms
from django.utils.translation import gettext_lazy as _

from haihe.registry.models import Occupation
from haihe.schools.models import (
    INTAKE_MAX,
    PAY_MAX,
    PERCENT_MAX,
    STAFF_MAX,
    STUDENTS_MAX,
    YEAR_MAX,
    YEAR_MIN,
    CooperationForm,
    Industry,
    MajorLevel,
)

DATE = forms.DateInput(attrs={"type": "date"})


class MajorForm(forms.Form):
    name = forms.CharField(label=_("专业名称"), max_length=100)
    occupation = forms.ModelChoiceField(
        label=_("对应职业（工种）"),
        queryset=Occupation.objects.filter(active=True),
        to_field_name="code",
    )
    level = forms.ChoiceField(label=_("培养层次"), choices=MajorLevel.choices)
    industry = forms.ModelChoiceField(
        label=_("服务产业"), queryset=Industry.objects.filter(active=True), to_field_name="code"
    )
    planned_intake = forms.IntegerField(label=_("计划招生人数"), min_value=1, max_value=INTAKE_MAX)
    start_year = forms.IntegerField(label=_("开设年份"), min_value=YEAR_MIN, max_value=YEAR_MAX)


class AgreementForm(forms.Form):
    enterprise = forms.CharField(label=_("合作企业统一社会信用代码"), max_length=18)
    form = forms.ChoiceField(label=_("合作形式"), choices=CooperationForm.choices)
    major = forms.TypedChoiceField(
        label=_("涉及专业（选填）"), required=False, coerce=int, empty_value=None, choices=[]
    )
    students = forms.IntegerField(label=_("学生人数"), min_value=1, max_value=STUDENTS_MAX)
    start_date = forms.DateField(label=_("合作开始日期"), widget=DATE)
    end_date = forms.DateField(label=_("合作结束日期"), widget=DATE)
    summary = forms.CharField(
        label=_("合作内容"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, majors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["major"].choices = [("", "—")] + [(m.pk, f"{m.name}") for m in majors]


class PayForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    staff_count = forms.IntegerField(label=_("在编教职工人数"), min_value=1, max_value=STAFF_MAX)
    current_total = forms.DecimalField(
        label=_("现有绩效工资总量（元）"), min_value=0, max_value=PAY_MAX, decimal_places=2
    )
    proposed_increase = forms.DecimalField(
        label=_("申请增核额（元）"), min_value=0, max_value=PAY_MAX, decimal_places=2
    )
    base_percent = forms.IntegerField(
        label=_("基础性绩效占比（%）"), min_value=0, max_value=PERCENT_MAX
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[("approve", _("通过")), ("return", _("退回修改")), ("reject", _("不予通过"))],
    )
    reason = forms.CharField(
        label=_("理由"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") in ("return", "reject") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("退回或不予通过时必须填写理由。"))
        return data
