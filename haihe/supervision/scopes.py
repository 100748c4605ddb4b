"""Who sees which supervision rows (one `visible_to(user)` per model; the rest is a 404).

- the bureau (bureau admin, municipal reviewer) sees everything;
- a district reviewer sees what hangs off the classes held in their district (flags without a
  class: those of people living in the district);
- a platform's own users (org_admin, org_staff of the platform) see only their platform's rows;
- nobody else sees supervision data.
"""

from haihe.core.scoping import RoleScopedQuerySet


class FlagQuerySet(RoleScopedQuerySet):
    district_path = "district_id"
    organisation_paths = ("platform_id",)


class LearningSessionQuerySet(RoleScopedQuerySet):
    district_path = "enrolment__training_class__district_id"
    organisation_paths = ("platform_id",)


class VerifiedHoursQuerySet(RoleScopedQuerySet):
    district_path = "enrolment__training_class__district_id"
    organisation_paths = ("enrolment__training_class__platform_id",)


class LearnerAccountQuerySet(RoleScopedQuerySet):
    district_path = "person__district_id"
    organisation_paths = ("platform_id",)
