"""Who sees which supervision rows (one `visible_to(user)` per model; the rest is a 404).

- the bureau (bureau admin, municipal reviewer) sees everything;
- a district reviewer sees what hangs off the classes held in their district (flags without a
  class: those of people living in the district);
- a platform's own users (org_admin, org_staff of the platform) see only their platform's rows;
- nobody else sees supervision data.
"""

from django.db import models

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role, active_role


class FlagQuerySet(models.QuerySet):
    def visible_to(self, user):
        role = active_role(user)
        if role in BUREAU_ROLES:
            return self.all()
        if role == Role.DISTRICT_REVIEWER:
            return self.filter(district_id=user.district_id)
        if role in ORG_ROLES:
            return self.filter(platform_id=user.organisation_id)
        return self.none()


class LearningSessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        role = active_role(user)
        if role in BUREAU_ROLES:
            return self.all()
        if role == Role.DISTRICT_REVIEWER:
            return self.filter(enrolment__training_class__district_id=user.district_id)
        if role in ORG_ROLES:
            return self.filter(platform_id=user.organisation_id)
        return self.none()


class VerifiedHoursQuerySet(models.QuerySet):
    def visible_to(self, user):
        role = active_role(user)
        if role in BUREAU_ROLES:
            return self.all()
        if role == Role.DISTRICT_REVIEWER:
            return self.filter(enrolment__training_class__district_id=user.district_id)
        if role in ORG_ROLES:
            return self.filter(enrolment__training_class__platform_id=user.organisation_id)
        return self.none()


class LearnerAccountQuerySet(models.QuerySet):
    def visible_to(self, user):
        role = active_role(user)
        if role in BUREAU_ROLES:
            return self.all()
        if role == Role.DISTRICT_REVIEWER:
            return self.filter(person__district_id=user.district_id)
        if role in ORG_ROLES:
            return self.filter(platform_id=user.organisation_id)
        return self.none()
