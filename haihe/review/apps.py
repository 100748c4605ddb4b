from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "haihe.review"
    label = "review"
    verbose_name = _("分级审核")
