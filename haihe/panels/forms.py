"""Input forms of the panel pages: they parse types; the services validate the rest."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haihe.core.identifiers import validate_ric, validate_uscc
from haihe.panels.cases import purpose_choices
from haihe.registry.models import Occupation, Organisation, Person


class PanelForm(forms.Form):
    purpose = forms.ChoiceField(label=gettext_lazy("评审事项"), choices=())
    name = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    reference_date = forms.DateField(
        label=gettext_lazy("评分办法适用日期"),
        required=False,
        help_text=gettext_lazy("按该日有效的评分办法评分；不填为今天。"),
    )
    deadline = forms.DateField(label=gettext_lazy("评分截止日期"), required=False)
    blind = forms.BooleanField(label=gettext_lazy("盲评（专家看不到名称和单位）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = purpose_choices()


def organisation_by_uscc(value: str, field: str = "employer") -> Organisation | None:
    value = (value or "").strip().upper()
    if not value:
        return None
    try:
        number = validate_uscc(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    organisation = Organisation.objects.filter(uscc=number).first()
    if organisation is None:
        raise ValidationError(
            {field: _("没有统一社会信用代码为 %(uscc)s 的单位。") % {"uscc": value}}
        )
    return organisation


def person_by_ric(value: str, field: str = "ric") -> Person:
    value = (value or "").strip().upper()
    try:
        number = validate_ric(value).number
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    person = Person.objects.filter(ric=number).first()
    if person is None:
        raise ValidationError({field: _("人员库中没有该身份证号码的人员，请先登记人员。")})
    return person


def occupations_by_codes(value: str, field: str = "specialities") -> list[Occupation]:
    codes = [c for c in re.split(r"[;；,，\s]+", (value or "").strip()) if c]
    found = {o.code: o for o in Occupation.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError(
            {field: _("未知的职业编码：%(codes)s") % {"codes": "、".join(unknown)}}
        )
    return [found[c] for c in dict.fromkeys(codes)]


class ExpertForm(forms.Form):
    ric = forms.CharField(label=gettext_lazy("居民身份证号码"), max_length=18, required=False)
    employer = forms.CharField(
        label=gettext_lazy("申报工作单位（统一社会信用代码）"), max_length=18, required=False
    )
    title = forms.CharField(label=gettext_lazy("职称或职务"), max_length=100, required=False)
    expertise = forms.CharField(label=gettext_lazy("专业领域"), max_length=255, required=False)
    specialities = forms.CharField(
        label=gettext_lazy("擅长职业（职业编码，用分号分隔）"), max_length=1000, required=False
    )
    note = forms.CharField(label=gettext_lazy("备注"), max_length=500, required=False)


class AccountForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)
    password = forms.CharField(
        label=gettext_lazy("初始密码"), widget=forms.PasswordInput, max_length=128
    )
