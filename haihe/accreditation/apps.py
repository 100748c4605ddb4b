from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    name = "haihe.accreditation"
    label = "accreditation"
    verbose_name = _("认定与备案")

    def ready(self) -> None:
        # registrations: evidence case kind, panel purposes, notice kind, rule messages, figures
        from haihe.accreditation import (  # noqa: F401
            audit_texts,
            cases,
            eligibility,
            figures,
            imports,
            nav,
        )
