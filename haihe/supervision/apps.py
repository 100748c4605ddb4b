from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "haihe.supervision"
    label = "supervision"
    verbose_name = _("线上培训监管")
