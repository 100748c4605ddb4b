"""Who sees which training rows: one `visible_to(user)` per model, used by every list, detail,
export and API call. Anything not granted here is invisible (and so a 404).

- the bureau (bureau admin, municipal reviewer) sees everything;
- a district reviewer sees the classes held in their district, and what hangs off them;
- an organisation's users see the classes their organisation filed, and the online classes hosted
  on their platform (read-only: see perms.py);
- a worker sees their own enrolments and outcomes, and the classes they are enrolled in.
"""

from haihe.core.scoping import RoleScopedQuerySet


class TrainingClassQuerySet(RoleScopedQuerySet):
    district_path = "district_id"
    organisation_paths = ("organisation_id", "platform_id")
    person_path = "enrolments__person_id"
    person_path_is_many = True


class EnrolmentQuerySet(RoleScopedQuerySet):
    district_path = "training_class__district_id"
    organisation_paths = ("training_class__organisation_id", "training_class__platform_id")
    person_path = "person_id"

    def active(self) -> "EnrolmentQuerySet":
        """Enrolments that count: enrolled or completed (not refused, not withdrawn)."""
        return self.filter(status__in=["enrolled", "completed"])


class TrainingSessionQuerySet(RoleScopedQuerySet):
    district_path = "training_class__district_id"
    organisation_paths = ("training_class__organisation_id", "training_class__platform_id")
    person_path = "training_class__enrolments__person_id"
    person_path_is_many = True


class AttendanceQuerySet(RoleScopedQuerySet):
    district_path = "enrolment__training_class__district_id"
    organisation_paths = (
        "enrolment__training_class__organisation_id",
        "enrolment__training_class__platform_id",
    )
    person_path = "enrolment__person_id"


class OutcomeQuerySet(RoleScopedQuerySet):
    district_path = "enrolment__training_class__district_id"
    organisation_paths = (
        "enrolment__training_class__organisation_id",
        "enrolment__training_class__platform_id",
    )
    person_path = "enrolment__person_id"

    def current(self) -> "OutcomeQuerySet":
        return self.filter(voided_at__isnull=True)
