from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "haihe.stats"
    label = "stats"
    verbose_name = _("统计")

    def ready(self) -> None:
        from haihe.stats import nav  # noqa: F401  (registers its navigation entries)
