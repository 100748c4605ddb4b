from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The house a user walks into: each role's home page of what needs them now, built from
    the modules' selectors (the top layer: it reads every module, none reads it)."""

    name = "haihe.portal"
    label = "portal"
    verbose_name = _("首页")

    def ready(self) -> None:
        from haihe.accounts.roles import ORG_ROLES, Role
        from haihe.core import homes
        from haihe.portal import views

        homes.register(
            (Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER, Role.DISTRICT_REVIEWER),
            views.reviewer_home,
        )
        homes.register(ORG_ROLES, views.org_home)
        homes.register((Role.EXPERT,), views.expert_home)
        homes.register((Role.WORKER,), views.worker_home)
