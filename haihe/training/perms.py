"""Who may do what in training. Pure functions of the user and the object; visibility itself is
`Model.objects.visible_to(user)` (scopes.py)."""

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role


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


def can_act_for_classes(user) -> bool:
    """The role-level part of every write of a class's organisation (file, submit, enrol, sign
    in, record outcomes), checked before a request is read; the object checks add the rest."""
    return can_file_class(user)


def can_review_classes(user) -> bool:
    """The role-level part of can_review_class."""
    return _active(user) and user.role == Role.DISTRICT_REVIEWER


def can_edit_class(user, training_class) -> bool:
    return _of_filer(user, training_class) and training_class.status in ("draft", "returned")


def can_review_class(user, training_class) -> bool:
    """The district reviewer of the class's district (the workflow adds the state and date)."""
    return (
        _active(user)
        and user.role == Role.DISTRICT_REVIEWER
        and training_class.district_id == user.district_id
    )


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


def can_override_refusal(user, enrolment) -> bool:
    """Only a municipal reviewer overrides an eligibility refusal (with a reason)."""
    return _active(user) and user.role == Role.MUNICIPAL_REVIEWER and enrolment.status == "refused"


def can_withdraw_enrolment(user, enrolment) -> bool:
    return _of_filer(user, enrolment.training_class) and enrolment.status == "enrolled"


def can_import_enrolments(user) -> bool:
    return can_file_class(user)


def can_import_attendance(user) -> bool:
    return can_file_class(user)
