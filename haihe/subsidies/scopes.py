"""Who sees which subsidy rows: one `visible_to(user)` per model, used by every list, detail,
export and API call. Anything not granted here is invisible (and so a 404).

- the bureau (bureau admin, municipal reviewer) sees everything;
- a district reviewer sees the claims of their district (the class's district);
- an organisation's users see their organisation's claims and payments;
- a worker sees the claim lines about themselves (the subsidies paid for them);
- the catalogue is public to every signed-in user (it is the published price list).
"""

from django.db import models

from haihe.accounts.roles import BUREAU_ROLES, Role, active_role
from haihe.core.scoping import RoleScopedQuerySet


class CatalogueEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CatalogueEntryQuerySet":
        return self.all() if active_role(user) is not None else self.none()

    def live(self) -> "CatalogueEntryQuerySet":
        return self.filter(voided_at__isnull=True)


class ClaimQuerySet(RoleScopedQuerySet):
    district_path = "district_id"
    organisation_paths = ("organisation_id",)


class ClaimLineQuerySet(RoleScopedQuerySet):
    district_path = "claim__district_id"
    organisation_paths = ("claim__organisation_id",)
    person_path = "person_id"

    def visible_to(self, user) -> "ClaimLineQuerySet":
        rows = super().visible_to(user)
        if active_role(user) == Role.WORKER:
            return rows.exclude(claim__status="draft")  # a worker sees submitted claims only
        return rows


class ClaimCheckQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ClaimCheckQuerySet":
        """Checks are for reviewers and the bureau (the institution sees its claim's status)."""
        role = active_role(user)
        if role in BUREAU_ROLES:
            return self.all()
        if role == Role.DISTRICT_REVIEWER:
            return self.filter(claim__district_id=user.district_id)
        return self.none()

    def current(self) -> "ClaimCheckQuerySet":
        return self.filter(superseded_at__isnull=True)
