"""Who sees which technical-school rows: one `visible_to(user)` per model, used by every list,
detail, export and API call (anything not granted is invisible, so a 404).

- the bureau (bureau admin, municipal reviewer) sees everything;
- a district reviewer sees the majors and agreements of schools in their district;
- a school's users see their school's majors, agreements and pay plans;
- an enterprise's users see the agreements their enterprise is party to, once submitted
  (read-only; a school's draft is its own);
- the register of approved majors is public (`register()`).
"""

from django.db import models

from haihe.accounts.roles import ORG_ROLES, active_role
from haihe.core.scoping import RoleScopedQuerySet


class MajorQuerySet(RoleScopedQuerySet):
    district_path = "district_id"
    organisation_paths = ("school_id",)

    def register(self) -> "MajorQuerySet":
        """The public register: approved majors (anyone may read it)."""
        return self.filter(status="approved")


class AgreementQuerySet(RoleScopedQuerySet):
    district_path = "district_id"
    organisation_paths = ("school_id",)

    def visible_to(self, user):
        if active_role(user) in ORG_ROLES:
            return self.filter(
                models.Q(school_id=user.organisation_id)
                | (models.Q(enterprise_id=user.organisation_id) & ~models.Q(status="draft"))
            )
        return super().visible_to(user)


class PayPlanQuerySet(RoleScopedQuerySet):
    organisation_paths = ("school_id",)  # the school and the bureau; no district stage
