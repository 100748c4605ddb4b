from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "haihe.evidence"
    label = "evidence"
    verbose_name = _("证明材料")

    def ready(self) -> None:
        from haihe.evidence import audit_texts  # noqa: F401  (registrations)
