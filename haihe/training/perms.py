"""Who may do what in training. Pure functions of the user and the object; visibility itself is
`Model.objects.visible_to(user)` (scopes.py). Permissions to take a lifecycle transition come
from its declaration in workflows.py, so that pages, API and services agree."""

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role
from haihe.training.workflows import CLASS_WORKFLOW, ENROLMENT_WORKFLOW


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _of_filer(user, training_class) -> bool:
    return (
        _active(user)
        and user.role in ORG_ROLES
        and training_class.organisation_id == user.organisation_id
    )


def can_view_training(user) -> bool:
    return _active(user)


def can_file_class(user) -> bool:
    """Training institutions and enterprises file classes through their own accounts."""
    return _active(user) and user.role in ORG_ROLES and user.organisation_id is not None


def can_edit_class(user, training_class) -> bool:
    return _of_filer(user, training_class) and training_class.status in ("draft", "returned")


can_submit_class = CLASS_WORKFLOW.can("submit")
can_approve_class = CLASS_WORKFLOW.can("approve")
can_return_class = CLASS_WORKFLOW.can("return")
can_cancel_class = CLASS_WORKFLOW.can("cancel")
can_override_refusal = ENROLMENT_WORKFLOW.can("override")
can_withdraw_enrolment = ENROLMENT_WORKFLOW.can("withdraw")


def can_view_review_queue(user) -> bool:
    return _active(user) and user.role in (BUREAU_ROLES | {Role.DISTRICT_REVIEWER})


def can_enrol(user, training_class) -> bool:
    return _of_filer(user, training_class) and training_class.status == "approved"


def can_record_attendance(user, training_class) -> bool:
    return (
        _of_filer(user, training_class)
        and training_class.status == "approved"
        and training_class.mode in ("offline", "blended")
    )


def can_record_outcome(user, training_class) -> bool:
    return _of_filer(user, training_class) and training_class.status == "approved"


def can_void_outcome(user, outcome) -> bool:
    if not _active(user):
        return False
    if user.role == Role.BUREAU_ADMIN:
        return True
    return user.role == Role.ORG_ADMIN and _of_filer(user, outcome.enrolment.training_class)


def can_import_enrolments(user) -> bool:
    return can_file_class(user)


def can_import_attendance(user) -> bool:
    return can_file_class(user)
