"""Who sees which training rows: one `visible_to(user)` per model, used by every list, detail,
export and API call. Anything not granted here is invisible (and so a 404).

- the bureau (bureau admin, municipal reviewer) sees everything;
- a district reviewer sees the classes held in their district, and what hangs off them;
- an organisation's users see the classes their organisation filed, and the online classes hosted
  on their platform (read-only: see perms.py);
- a worker sees their own enrolments and outcomes, and the classes they are enrolled in.
"""

from django.db import models

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role, active_role


def _class_filter(user, prefix: str = "") -> models.Q | None:
    """A Q over TrainingClass fields (prefixed) that grants `user`; None = everything."""
    role = active_role(user)
    if role in BUREAU_ROLES:
        return None
    if role == Role.DISTRICT_REVIEWER:
        return models.Q(**{f"{prefix}district_id": user.district_id})
    if role in ORG_ROLES:
        return models.Q(**{f"{prefix}organisation_id": user.organisation_id}) | models.Q(
            **{f"{prefix}platform_id": user.organisation_id}
        )
    return models.Q(pk__in=[])


class TrainingClassQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TrainingClassQuerySet":
        role = active_role(user)
        if role is None:
            return self.none()
        if role == Role.WORKER:
            return self.filter(enrolments__person_id=user.person_id).distinct()
        grant = _class_filter(user)
        return self.all() if grant is None else self.filter(grant)


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EnrolmentQuerySet":
        role = active_role(user)
        if role is None:
            return self.none()
        if role == Role.WORKER:
            return self.filter(person_id=user.person_id)
        grant = _class_filter(user, "training_class__")
        return self.all() if grant is None else self.filter(grant)

    def active(self) -> "EnrolmentQuerySet":
        """Enrolments that count: enrolled or completed (not refused, not withdrawn)."""
        return self.filter(status__in=["enrolled", "completed"])


class TrainingSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TrainingSessionQuerySet":
        role = active_role(user)
        if role is None:
            return self.none()
        if role == Role.WORKER:
            return self.filter(training_class__enrolments__person_id=user.person_id).distinct()
        grant = _class_filter(user, "training_class__")
        return self.all() if grant is None else self.filter(grant)


class AttendanceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AttendanceQuerySet":
        role = active_role(user)
        if role is None:
            return self.none()
        if role == Role.WORKER:
            return self.filter(enrolment__person_id=user.person_id)
        grant = _class_filter(user, "enrolment__training_class__")
        return self.all() if grant is None else self.filter(grant)


class OutcomeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OutcomeQuerySet":
        role = active_role(user)
        if role is None:
            return self.none()
        if role == Role.WORKER:
            return self.filter(enrolment__person_id=user.person_id)
        grant = _class_filter(user, "enrolment__training_class__")
        return self.all() if grant is None else self.filter(grant)

    def current(self) -> "OutcomeQuerySet":
        return self.filter(voided_at__isnull=True)
