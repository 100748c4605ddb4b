from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "haihe.supervision"
    label = "supervision"
    verbose_name = _("线上培训监管")

    def ready(self) -> None:
        from haihe.core import sweeps
        from haihe.supervision import (
            audit_texts,  # noqa: F401  (its audit sentences)
            figures,  # noqa: F401  (registers the statistics figures)
            nav,  # noqa: F401  (registers its navigation entries)
        )
        from haihe.supervision.receivers import on_statements_resent, on_statements_stored
        from haihe.supervision.services import hours_for
        from haihe.training.online import register_online_hours_provider
        from haihe.xapi.signals import statements_resent, statements_stored

        statements_stored.connect(on_statements_stored, dispatch_uid="supervision.statements")
        statements_resent.connect(on_statements_resent, dispatch_uid="supervision.resent")
        register_online_hours_provider(hours_for)
        sweeps.register("supervision.pending_statements", _sweep_pending)


def _sweep_pending(*, older_than: float) -> int:
    from haihe.supervision.processing import sweep

    return sweep(older_than=older_than)
