"""The roles of the platform; each account has exactly one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", _("市人社局管理员")
    MUNICIPAL_REVIEWER = "municipal_reviewer", _("市级审核员")
    DISTRICT_REVIEWER = "district_reviewer", _("区级审核员")
    ORG_ADMIN = "org_admin", _("单位管理员")
    ORG_STAFF = "org_staff", _("单位工作人员")
    EXPERT = "expert", _("评审专家")
    WORKER = "worker", _("劳动者")


BUREAU_ROLES = frozenset({Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER})
ORG_ROLES = frozenset({Role.ORG_ADMIN, Role.ORG_STAFF})


def active_role(user) -> str | None:
    """The role of a signed-in, active user; None for anyone else (anonymous, inactive, none)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.role
