"""Who may do what in accreditation. Pure functions of the user and the object; visibility
itself is `Model.objects.visible_to(user)` (scopes.py). Review decisions and four-eyes are the
staged review's (workflows.APPLICATION_PIPELINE)."""

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role, active_role


def can_apply(user) -> bool:
    return active_role(user) in ORG_ROLES and user.organisation_id is not None


def can_edit_application(user, application) -> bool:
    """The applicant's users change a draft or a returned application (facts, evidence)."""
    return (
        can_apply(user)
        and application.organisation_id == user.organisation_id
        and application.status in ("draft", "returned")
    )


def can_manage_calls(user) -> bool:
    return active_role(user) == Role.BUREAU_ADMIN


def can_view_queue(user) -> bool:
    return active_role(user) in (BUREAU_ROLES | {Role.DISTRICT_REVIEWER})


def can_manage_recognitions(user) -> bool:
    return active_role(user) == Role.BUREAU_ADMIN


def can_file_report(user, recognition) -> bool:
    return (
        can_apply(user)
        and recognition.holder_id == user.organisation_id
        and recognition.status in ("active", "suspended")
    )


def can_request_change(user, recognition) -> bool:
    return can_file_report(user, recognition) and recognition.status == "active"


def review_refusal(user, application):
    """Why `user` may not take a review decision on `application` now, or None."""
    from haihe.accreditation.workflows import APPLICATION_PIPELINE

    name = APPLICATION_PIPELINE.transition_for(application, "approve")
    return APPLICATION_PIPELINE.workflow.refusal(user, application, name)


def can_review(user, application) -> bool:
    """May `user` decide `application` at its stage (returning is possible even when the
    stage is not ready to approve)?"""
    from haihe.accreditation.workflows import APPLICATION_PIPELINE

    if active_role(user) is None:
        return False
    name = APPLICATION_PIPELINE.transition_for(application, "return")
    return APPLICATION_PIPELINE.workflow.refusal(user, application, name) is None


def can_read_accreditation(user) -> bool:
    """Applicants and holders (their own rows) and reviewers (their jurisdiction) read
    applications and recognitions; a worker or an expert has none to read."""
    return can_apply(user) or can_view_queue(user)
