from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XapiConfig(AppConfig):
    name = "haihe.xapi"
    label = "xapi"
    verbose_name = _("学习记录库（xAPI）")

    def ready(self) -> None:
        from haihe.xapi import (
            audit_texts,  # noqa: F401  (its audit sentences)
            nav,  # noqa: F401  (registers its navigation entries)
        )
