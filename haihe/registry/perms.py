"""Who may do what in the registry. Pure functions of the user and the object; visibility itself
is `Model.objects.visible_to(user)` (scopes.py)."""

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_view_registry(user) -> bool:
    return _active(user) and user.role in (BUREAU_ROLES | ORG_ROLES | {Role.DISTRICT_REVIEWER})


def can_view_full_pii(user, person) -> bool:
    """Full RIC and phone: the bureau, the district reviewer of the person's district, an
    organisation administrator of an organisation the person is tied to, and the person."""
    if not _active(user):
        return False
    if user.role in BUREAU_ROLES:
        return True
    if user.role == Role.DISTRICT_REVIEWER:
        return person.district_id == user.district_id
    if user.role == Role.ORG_ADMIN:
        return person.affiliations.filter(organisation_id=user.organisation_id).exists()
    if user.role == Role.WORKER:
        return person.pk == user.person_id
    return False


def can_export_full_pii(user) -> bool:
    return _active(user) and user.role == Role.BUREAU_ADMIN


def can_register_person(user) -> bool:
    return _active(user) and user.role in ({Role.BUREAU_ADMIN} | ORG_ROLES)


def can_edit_person(user, person) -> bool:
    """Registry data of a person is kept by the bureau; the person keeps their own phone."""
    if not _active(user):
        return False
    return user.role == Role.BUREAU_ADMIN


def can_manage_key_groups(user, person) -> bool:
    if not _active(user):
        return False
    if user.role == Role.BUREAU_ADMIN:
        return True
    return user.role == Role.DISTRICT_REVIEWER and person.district_id == user.district_id


def can_import_people(user) -> bool:
    return can_register_person(user)


def can_import_organisations(user) -> bool:
    return _active(user) and user.role == Role.BUREAU_ADMIN


def can_edit_organisation(user, organisation) -> bool:
    if not _active(user):
        return False
    if user.role == Role.BUREAU_ADMIN:
        return True
    return user.role == Role.ORG_ADMIN and organisation.pk == user.organisation_id


def can_manage_occupations(user) -> bool:
    return _active(user) and user.role == Role.BUREAU_ADMIN
