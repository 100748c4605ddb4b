from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanelsConfig(AppConfig):
    name = "haihe.panels"
    label = "panels"
    verbose_name = _("评审专家组")

    def ready(self) -> None:
        from haihe.panels import (  # noqa: F401  (messages, importer)
            audit_texts,
            conflicts,
            imports,
            nav,
            rules,
        )
