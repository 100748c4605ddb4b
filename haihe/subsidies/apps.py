from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "haihe.subsidies"
    label = "subsidies"
    verbose_name = _("培训补贴")

    def ready(self) -> None:
        from haihe.subsidies import (  # noqa: F401  (registrations)
            audit_texts,
            evidence,
            figures,
            nav,
            payables,
            rules,
        )
