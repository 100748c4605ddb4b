"""Who may do what with notices and objections; the lifecycle steps come from workflows.py, so
a page, a service and a test can never disagree."""

from haihe.accounts.roles import BUREAU_ROLES, active_role
from haihe.notices.workflows import notice_workflow, objection_workflow


def can_manage_notices(user) -> bool:
    """The bureau's pages: every notice, every objection."""
    return active_role(user) in BUREAU_ROLES


def can_create_notice(user) -> bool:
    return active_role(user) in BUREAU_ROLES


def can_view_objection_contact(user, objection) -> bool:
    return active_role(user) in BUREAU_ROLES


def can_approve_notice(user, notice) -> bool:
    return notice_workflow.refusal(user, notice, "approve") is None


def can_withdraw_notice(user, notice) -> bool:
    return notice_workflow.refusal(user, notice, "withdraw") is None


def can_investigate_objection(user, objection) -> bool:
    return objection_workflow.refusal(user, objection, "investigate") is None


def can_uphold_objection(user, objection) -> bool:
    return objection_workflow.refusal(user, objection, "uphold") is None


def can_dismiss_objection(user, objection) -> bool:
    return objection_workflow.refusal(user, objection, "dismiss") is None
