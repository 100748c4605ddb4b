"""Who sees which registry rows: one `visible_to(user)` per model, used by every list, detail,
export and API call. Anything not granted here is invisible (and so a 404)."""

from django.apps import apps
from django.db import models

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role, active_role
from haihe.core.scoping import RoleScopedQuerySet


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PersonQuerySet":
        role = active_role(user)
        if role in BUREAU_ROLES:
            return self.all()
        if role == Role.DISTRICT_REVIEWER:
            return self.filter(district_id=user.district_id)
        if role in ORG_ROLES:
            affiliations = apps.get_model("registry", "Affiliation").objects.filter(
                organisation_id=user.organisation_id
            )
            return self.filter(pk__in=models.Subquery(affiliations.values("person_id")))
        if role == Role.WORKER:
            return self.filter(pk=user.person_id)
        return self.none()


class KeyGroupMembershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> "KeyGroupMembershipQuerySet":
        people = self.model._meta.get_field("person").related_model.objects.visible_to(user)
        return self.filter(person__in=people)


class OrganisationQuerySet(RoleScopedQuerySet):
    district_path = "district_id"
    organisation_paths = ("pk",)

    def of_kind(self, kind: str) -> "OrganisationQuerySet":
        return self.filter(kinds__kind=kind)
