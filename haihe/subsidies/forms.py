from django import forms
from django.utils.translation import gettext_lazy as _

from haihe.registry.models import Occupation, SkillLevel
from haihe.training.models import OutcomeKind


class CatalogueEntryForm(forms.Form):
    occupation = forms.ModelChoiceField(
        label=_("职业（工种）"),
        queryset=Occupation.objects.filter(active=True),
        to_field_name="code",
    )
    level = forms.TypedChoiceField(label=_("等级"), choices=SkillLevel.choices, coerce=int)
    outcome_kind = forms.ChoiceField(label=_("成果类型"), choices=OutcomeKind.choices)
    amount = forms.DecimalField(
        label=_("补贴标准（元）"), min_value=0, max_digits=12, decimal_places=2
    )
    effective_from = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(label=_("依据"), max_length=500)


class PriceForm(forms.Form):
    occupation = forms.ModelChoiceField(
        label=_("职业（工种）"), queryset=Occupation.objects.all(), to_field_name="code"
    )
    level = forms.TypedChoiceField(label=_("等级"), choices=SkillLevel.choices, coerce=int)
    outcome_kind = forms.ChoiceField(label=_("成果类型"), choices=OutcomeKind.choices)
    on = forms.DateField(label=_("发证日期"), widget=forms.DateInput(attrs={"type": "date"}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[
            ("approve", _("通过")),
            ("return", _("退回修改")),
            ("reject", _("不予补贴")),
        ],
    )
    reason = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") in ("return", "reject") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("退回或不予补贴时必须填写理由。"))
        return data
