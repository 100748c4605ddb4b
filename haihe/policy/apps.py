from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "haihe.policy"
    label = "policy"
    verbose_name = _("政策参数")

    def ready(self):
        from haihe.policy import (
            audit_texts,  # noqa: F401  (its audit sentences)
            calendar,  # noqa: F401  (registers its explanations' messages)
            nav,  # noqa: F401  (registers its navigation entries)
        )
