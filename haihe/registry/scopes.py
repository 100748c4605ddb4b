"""Who sees which registry rows: one `visible_to(user)` per model, used by every list, detail,
export and API call. Anything not granted here is invisible (and so a 404).

An organisation sees a person only through a relationship that gives it a reason: an
enrolment in its class (relation "trainee", made by the enrolment), an employment it records
("employee"), a student of its school ("student"). Asserting an ID number gives none: a
registration by an organisation ties nothing to it (services.person_register)."""

from django.apps import apps
from django.db import models

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role, active_role
from haihe.core.scoping import RoleScopedQuerySet

# The affiliations that let an organisation see a person. "registered" (written by registrations
# before they stopped tying people to organisations) is kept as history and grants nothing.
REASON_RELATIONS = frozenset({"employee", "trainee", "student"})


def reason_affiliations(organisation_id):
    """The affiliations that give organisation `organisation_id` a reason to see a person."""
    return apps.get_model("registry", "Affiliation").objects.filter(
        organisation_id=organisation_id, relation__in=REASON_RELATIONS
    )


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PersonQuerySet":
        role = active_role(user)
        if role in BUREAU_ROLES:
            return self.all()
        if role == Role.DISTRICT_REVIEWER:
            return self.filter(district_id=user.district_id)
        if role in ORG_ROLES:
            affiliations = reason_affiliations(user.organisation_id)
            return self.filter(pk__in=models.Subquery(affiliations.values("person_id")))
        if role == Role.WORKER:
            return self.filter(pk=user.person_id)
        return self.none()


class KeyGroupMembershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> "KeyGroupMembershipQuerySet":
        """Key groups (the poverty-alleviation register, registered unemployment, …) are
        recorded by the bureau and the district reviewers, and seen by them and by the person.
        An organisation sees none: what another body recorded about a person is not shown to
        an organisation, whatever ties the person to it."""
        role = active_role(user)
        if role in BUREAU_ROLES:
            return self.all()
        if role == Role.DISTRICT_REVIEWER:
            return self.filter(person__district_id=user.district_id)
        if role == Role.WORKER:
            return self.filter(person_id=user.person_id)
        return self.none()


class OrganisationQuerySet(RoleScopedQuerySet):
    district_path = "district_id"
    organisation_paths = ("pk",)

    def of_kind(self, kind: str) -> "OrganisationQuerySet":
        return self.filter(kinds__kind=kind)
