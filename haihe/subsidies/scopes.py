"""Who sees which subsidy rows: one `visible_to(user)` per model, used by every list, detail,
export and API call. Anything not granted here is invisible (and so a 404).

- the bureau (bureau admin, municipal reviewer) sees everything;
- a district reviewer sees the claims of their district (the class's district);
- an organisation's users see their organisation's claims and payments;
- a worker sees the claim lines about themselves (the subsidies paid for them);
- the catalogue is public to every signed-in user (it is the published price list).
"""

from django.db import models

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role, active_role


def _claim_filter(user, prefix: str = "") -> models.Q | None:
    """A Q over Claim fields (prefixed) that grants `user`; None means everything."""
    role = active_role(user)
    if role in BUREAU_ROLES:
        return None
    if role == Role.DISTRICT_REVIEWER:
        return models.Q(**{f"{prefix}district_id": user.district_id})
    if role in ORG_ROLES:
        return models.Q(**{f"{prefix}organisation_id": user.organisation_id})
    return models.Q(pk__in=[])


class CatalogueEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CatalogueEntryQuerySet":
        return self.all() if active_role(user) is not None else self.none()

    def live(self) -> "CatalogueEntryQuerySet":
        return self.filter(voided_at__isnull=True)


class ClaimQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ClaimQuerySet":
        if active_role(user) is None:
            return self.none()
        grant = _claim_filter(user)
        return self.all() if grant is None else self.filter(grant)


class ClaimLineQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ClaimLineQuerySet":
        role = active_role(user)
        if role is None:
            return self.none()
        if role == Role.WORKER:
            return self.filter(person_id=user.person_id).exclude(claim__status="draft")
        grant = _claim_filter(user, "claim__")
        return self.all() if grant is None else self.filter(grant)


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


class PaymentBatchQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PaymentBatchQuerySet":
        return self.all() if active_role(user) in BUREAU_ROLES else self.none()


class PaymentLineQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PaymentLineQuerySet":
        if active_role(user) is None:
            return self.none()
        grant = _claim_filter(user, "claim__")
        return self.all() if grant is None else self.filter(grant)
