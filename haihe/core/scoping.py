"""The common shape of `visible_to(user)`: the bureau sees everything, a district reviewer the rows
of their district, an organisation's users the rows of their organisation, nobody else any.

A model whose scope has that shape declares only the two paths:

    class FlagQuerySet(RoleScopedQuerySet):
        district_path = "district_id"
        organisation_path = "platform_id"

Models with other rules (a worker's own rows, several organisation paths) override visible_to.
"""

from django.db import models

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role, active_role


class RoleScopedQuerySet(models.QuerySet):
    district_path: str | None = None  # lookup of the row's district id, e.g. "district_id"
    organisation_path: str | None = None  # lookup of the row's organisation id

    def visible_to(self, user):
        role = active_role(user)
        if role in BUREAU_ROLES:
            return self.all()
        if role == Role.DISTRICT_REVIEWER and self.district_path:
            return self.filter(**{self.district_path: user.district_id})
        if role in ORG_ROLES and self.organisation_path:
            return self.filter(**{self.organisation_path: user.organisation_id})
        return self.none()
