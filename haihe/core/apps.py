from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "haihe.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        from haihe.core import (
            audit_texts,  # noqa: F401  (its audit sentences)
            nav_entries,  # noqa: F401  (registers its navigation entries)
        )
