from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "haihe.accounts"
    label = "accounts"
    verbose_name = _("账户")

    def ready(self) -> None:
        from haihe.accounts import (
            audit_texts,  # noqa: F401  (its audit sentences)
            nav,  # noqa: F401  (registers its navigation entries)
        )
