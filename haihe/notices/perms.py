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


can_approve_notice = notice_workflow.can("approve")
can_withdraw_notice = notice_workflow.can("withdraw")
can_investigate_objection = objection_workflow.can("investigate")
can_uphold_objection = objection_workflow.can("uphold")
can_dismiss_objection = objection_workflow.can("dismiss")
