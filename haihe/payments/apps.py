from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "haihe.payments"
    label = "payments"
    verbose_name = _("资金支付")

    def ready(self) -> None:
        from haihe.payments import (
            audit_texts,  # noqa: F401  (its audit sentences)
            nav,  # noqa: F401  (registers its navigation entries)
        )
