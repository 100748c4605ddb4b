from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "haihe.training"
    label = "training"
    verbose_name = _("补贴性职业培训")

    def ready(self) -> None:
        from haihe.training import (  # noqa: F401
            audit_texts,
            class_imports,
            eligibility,
            figures,
            imports,
            nav,
        )
