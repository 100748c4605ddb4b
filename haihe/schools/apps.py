from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "haihe.schools"
    label = "schools"
    verbose_name = _("技工院校")

    def ready(self) -> None:
        from haihe.schools import audit_texts, evidence, figures, nav, rules  # noqa: F401
