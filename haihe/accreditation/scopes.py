"""Who sees which accreditation rows: one `visible_to(user)` per model, used by every list,
detail, export and API call (anything not granted is a 404).

- the bureau (bureau admin, municipal reviewer) sees everything;
- a district reviewer sees the rows of organisations in their district;
- an organisation's users see their own organisation's applications, recognitions and duties;
- calls are public once opened; recognitions are public (the register) through `public()`.
"""

from django.db import models

from haihe.accounts.roles import BUREAU_ROLES, active_role
from haihe.core.scoping import RoleScopedQuerySet


class CallQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CallQuerySet":
        if active_role(user) in BUREAU_ROLES:
            return self.all()
        return self.exclude(status="draft")


class ApplicationQuerySet(RoleScopedQuerySet):
    district_path = "district_id"
    organisation_paths = ("organisation_id",)

    def visible_to(self, user):
        rows = super().visible_to(user)
        from haihe.accounts.roles import Role

        if active_role(user) == Role.DISTRICT_REVIEWER:
            return rows.exclude(status="draft")  # a draft is the applicant's own
        return rows


class RecognitionQuerySet(RoleScopedQuerySet):
    district_path = "district_id"
    organisation_paths = ("holder_id",)

    def public(self) -> "RecognitionQuerySet":
        """The public register: every recognition that is or was granted (its status shown)."""
        return self.all()

    def in_force(self, day) -> "RecognitionQuerySet":
        return self.filter(status="active", valid_from__lte=day, valid_until__gte=day)


class AnnualReportQuerySet(RoleScopedQuerySet):
    district_path = "recognition__district_id"
    organisation_paths = ("recognition__holder_id",)


class ChangeRequestQuerySet(RoleScopedQuerySet):
    district_path = "recognition__district_id"
    organisation_paths = ("recognition__holder_id",)
