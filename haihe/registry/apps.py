from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "haihe.registry"
    label = "registry"
    verbose_name = _("基础信息")

    def ready(self) -> None:
        from haihe.registry import (  # noqa: F401  (registers figures, importers)
            audit_texts,
            figures,
            imports,
            nav,
        )
