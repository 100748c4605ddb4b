from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "haihe.notices"
    label = "notices"
    verbose_name = _("公示")

    def ready(self):
        from haihe.notices import (
            audit_texts,  # noqa: F401  (its audit sentences)
            kinds,
            nav,  # noqa: F401  (registers its navigation entries)
        )

        kinds.register(kinds.ANNOUNCEMENT)
