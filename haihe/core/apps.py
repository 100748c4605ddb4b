from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "haihe.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        from django.db.models import fields

        # The blank choice of every select (Django 6.1's "- Select an option -", which Django's
        # zh_Hans catalogue does not translate yet): the project's words, in both languages.
        fields.BLANK_CHOICE_LABEL = _("- 请选择 -")
        from haihe.core import (
            audit_texts,  # noqa: F401  (its audit sentences)
            nav_entries,  # noqa: F401  (registers its navigation entries)
        )
