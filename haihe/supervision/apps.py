from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "haihe.supervision"
    label = "supervision"
    verbose_name = _("线上培训监管")

    def ready(self) -> None:
        from haihe.supervision import figures  # noqa: F401  (registers the statistics figures)
        from haihe.supervision.receivers import on_statements_stored
        from haihe.supervision.services import hours_for
        from haihe.training.online import register_online_hours_provider
        from haihe.xapi.signals import statements_stored

        statements_stored.connect(on_statements_stored, dispatch_uid="supervision.statements")
        register_online_hours_provider(hours_for)
