"""Who sees which payment rows. The bureau sees every batch; a payment is seen by the bureau,
the district reviewer of its district and the paid organisation's users (on their claim's page);
a worker paid in person sees their own (through the programme's pages)."""

from django.db import models

from haihe.accounts.roles import BUREAU_ROLES, active_role
from haihe.core.scoping import RoleScopedQuerySet


class PaymentBatchQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PaymentBatchQuerySet":
        return self.all() if active_role(user) in BUREAU_ROLES else self.none()


class PaymentQuerySet(RoleScopedQuerySet):
    district_path = "district_id"
    organisation_paths = ("organisation_id",)

    def of(self, obj) -> "PaymentQuerySet":
        from django.contrib.contenttypes.models import ContentType

        return self.filter(payable_type=ContentType.objects.get_for_model(obj), payable_id=obj.pk)
