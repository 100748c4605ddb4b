from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from haihe.core.identifiers import validate_mobile, validate_ric
from haihe.registry.models import District, KeyGroup


class PersonForm(forms.Form):
    ric = forms.CharField(label=_("居民身份证号码"), max_length=20)
    name = forms.CharField(label=_("姓名"), max_length=50)
    district = forms.ModelChoiceField(label=_("居住区"), queryset=District.objects.all())
    mobile = forms.CharField(label=_("手机号码"), max_length=20, required=False)

    def clean_ric(self):
        return validate_ric(self.cleaned_data["ric"]).number

    def clean_mobile(self):
        value = self.cleaned_data["mobile"]
        return validate_mobile(value) if value else ""


class KeyGroupForm(forms.Form):
    group = forms.ChoiceField(label=_("重点群体"), choices=KeyGroup.choices)
    valid_from = forms.DateField(
        label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence = forms.CharField(label=_("证明材料"), max_length=255)

    def clean(self):
        data = super().clean()
        if (
            data.get("valid_until")
            and data.get("valid_from")
            and data["valid_until"] < data["valid_from"]
        ):
            raise ValidationError(_("截止日期不能早于起始日期。"))
        return data


class OccupationUploadForm(forms.Form):
    file = forms.FileField(label=_("职业目录 CSV 文件"))


class RevealForm(forms.Form):
    """The purpose stated for viewing a person's full RIC and phone number."""

    purpose = forms.ChoiceField(label=_("查看用途"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, purposes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = purposes
        if len(purposes) == 1:
            self.fields["purpose"].initial = purposes[0][0]
            self.fields["purpose"].widget = forms.HiddenInput()
            self.fields["note"].widget = forms.HiddenInput()
