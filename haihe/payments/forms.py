from django import forms
from django.utils.translation import gettext_lazy as _


class ResultsUploadForm(forms.Form):
    file = forms.FileField(label=_("银行回单文件（.xlsx 或 .csv）"))
