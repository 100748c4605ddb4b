"""Who may do what with technical schools' majors, agreements and pay plans. Pure functions of
the user and the object; visibility itself is `Model.objects.visible_to(user)` (scopes.py), the
review decisions are the pipelines' (workflows.py: jurisdiction and four-eyes)."""

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role
from haihe.registry.models import OrgKind

EDITABLE = ("draft", "returned")


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_school_user(user) -> bool:
    """An account of an organisation that is a technical school."""
    if not (_active(user) and user.role in ORG_ROLES and user.organisation_id):
        return False
    return user.organisation.kinds.filter(kind=OrgKind.TECHNICAL_SCHOOL).exists()


def can_file(user) -> bool:
    """May file majors, agreements and pay plans (for their own school)."""
    return is_school_user(user)


def can_edit(user, case) -> bool:
    """The school's users change a draft or a returned case (and attach its evidence)."""
    return can_file(user) and case.school_id == user.organisation_id and case.status in EDITABLE


def is_reviewer(user) -> bool:
    return _active(user) and user.role in (BUREAU_ROLES | {Role.DISTRICT_REVIEWER})


def is_pay_reviewer(user) -> bool:
    return _active(user) and user.role in BUREAU_ROLES


def is_enterprise_user(user) -> bool:
    if not (_active(user) and user.role in ORG_ROLES and user.organisation_id):
        return False
    return user.organisation.kinds.filter(kind=OrgKind.ENTERPRISE).exists()


def can_use_schools_api(user) -> bool:
    """Schools (their cases) and reviewers (their queues and decisions)."""
    return can_file(user) or is_reviewer(user)


def review_refusal(pipeline, user, case):
    """Why `user` may not decide on `case` now (a core.workflow.Refusal), or None."""
    return pipeline.workflow.refusal(user, case, pipeline.transition_for(case, "approve"))


def can_review(pipeline, user, case) -> bool:
    return _active(user) and review_refusal(pipeline, user, case) is None
