"""Who may do what with subsidies. Pure functions of the user and the object; visibility itself
is `Model.objects.visible_to(user)` (scopes.py).

Four-eyes (nobody reviews a claim of their own organisation or one that pays for themselves, and
no person acts at both stages of one claim) is the staged review's (haihe.review.pipeline)."""

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_view_catalogue(user) -> bool:
    return _active(user)


def can_edit_catalogue(user) -> bool:
    return _active(user) and user.role == Role.BUREAU_ADMIN


def can_file_claims(user) -> bool:
    return _active(user) and user.role in ORG_ROLES


def can_claim_for_class(user, training_class) -> bool:
    return can_file_claims(user) and training_class.organisation_id == user.organisation_id


def can_edit_claim(user, claim) -> bool:
    """The claiming organisation's users change a draft or a returned claim."""
    return (
        can_file_claims(user)
        and claim.organisation_id == user.organisation_id
        and claim.status in ("draft", "returned")
    )


def can_view_queue(user) -> bool:
    return _active(user) and user.role in (BUREAU_ROLES | {Role.DISTRICT_REVIEWER})


def review_refusal(user, claim):
    """Why `user` may not take a review decision on `claim` now (a core.workflow.Refusal), or
    None: the stage it waits for, its roles and jurisdiction and the four-eyes rules, all from
    the claim pipeline's declaration (subsidies.workflows)."""
    from haihe.subsidies.workflows import CLAIM_PIPELINE

    name = CLAIM_PIPELINE.transition_for(claim, "approve")
    return CLAIM_PIPELINE.workflow.refusal(user, claim, name)


def can_review_claim(user, claim) -> bool:
    """May `user` take a review decision on `claim` now (at the stage it waits for)?"""
    return _active(user) and review_refusal(user, claim) is None


def can_manage_payments(user) -> bool:
    return _active(user) and user.role == Role.BUREAU_ADMIN


def can_view_payments(user) -> bool:
    return _active(user) and user.role in BUREAU_ROLES


def can_view_totals(user) -> bool:
    return _active(user) and user.role in (BUREAU_ROLES | {Role.DISTRICT_REVIEWER})
