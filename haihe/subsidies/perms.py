"""Who may do what with subsidies. Pure functions of the user and the object; visibility itself
is `Model.objects.visible_to(user)` (scopes.py).

Four-eyes: nobody reviews a claim of their own organisation or one that pays for themselves, and
the district and municipal approvals of one claim are given by different people."""

from django.utils.translation import gettext as _

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


def own_interest(user, claim) -> str | None:
    """Why `user` must not review `claim` because of who they are; None if they may."""
    if user.organisation_id is not None and user.organisation_id == claim.organisation_id:
        return _("不能审核本单位的申领。")
    if user.person_id is not None and claim.lines.filter(person_id=user.person_id).exists():
        return _("申领中包含您本人，不能审核。")
    return None


def district_review_refusal(user, claim) -> str | None:
    if user.district_id != claim.district_id:
        return _("只能审核本区的申领。")
    return own_interest(user, claim)


def municipal_review_refusal(user, claim) -> str | None:
    if claim.district_reviewed_by_id == user.pk:
        return _("区级审核和市级审核须由不同人员完成。")
    return own_interest(user, claim)


def can_review_claim(user, claim) -> bool:
    """May `user` take a review decision on `claim` now (at the level it waits for)?"""
    if not _active(user):
        return False
    if claim.status == "submitted" and user.role == Role.DISTRICT_REVIEWER:
        return district_review_refusal(user, claim) is None
    if claim.status == "district_approved" and user.role == Role.MUNICIPAL_REVIEWER:
        return municipal_review_refusal(user, claim) is None
    return False


def can_manage_payments(user) -> bool:
    return _active(user) and user.role == Role.BUREAU_ADMIN


def can_view_payments(user) -> bool:
    return _active(user) and user.role in BUREAU_ROLES


def can_view_totals(user) -> bool:
    return _active(user) and user.role in (BUREAU_ROLES | {Role.DISTRICT_REVIEWER})
