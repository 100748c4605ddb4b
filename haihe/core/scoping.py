"""The common shape of `visible_to(user)`: the bureau sees everything, a district reviewer the rows
of their district, an organisation's users the rows of their organisation, a worker the rows about
themselves, nobody else any.

A model whose scope has that shape declares only its paths:

    class FlagQuerySet(RoleScopedQuerySet):
        district_path = "district_id"
        organisation_paths = ("platform_id",)

Models with other rules override visible_to (and may call super() for the common part).
"""

from django.db import models

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role, active_role


class RoleScopedQuerySet(models.QuerySet):
    district_path: str | None = None  # lookup of the row's district id, e.g. "district_id"
    organisation_paths: tuple[str, ...] = ()  # lookups of organisation ids; any one grants
    person_path: str | None = None  # lookup of the person a worker may see the row as
    person_path_is_many: bool = False  # the person path crosses a to-many relation: distinct

    def visible_to(self, user):
        role = active_role(user)
        if role in BUREAU_ROLES:
            return self.all()
        if role == Role.DISTRICT_REVIEWER and self.district_path:
            return self.filter(**{self.district_path: user.district_id})
        if role in ORG_ROLES and self.organisation_paths:
            grant = models.Q()
            for path in self.organisation_paths:
                grant |= models.Q(**{path: user.organisation_id})
            return self.filter(grant)
        if role == Role.WORKER and self.person_path:
            rows = self.filter(**{self.person_path: user.person_id})
            return rows.distinct() if self.person_path_is_many else rows
        return self.none()
