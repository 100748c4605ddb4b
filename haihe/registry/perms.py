"""Who may do what in the registry. Pure functions of the user and the object; visibility itself
is `Model.objects.visible_to(user)` (scopes.py)."""

from django.db.models import Q

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role
from haihe.core import clock
from haihe.registry.scopes import reason_affiliations


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_view_registry(user) -> bool:
    return _active(user) and user.role in (BUREAU_ROLES | ORG_ROLES | {Role.DISTRICT_REVIEWER})


def can_view_full_pii(user, person) -> bool:
    """Full RIC and phone, only for people the role is handling: the bureau, the district
    reviewer of the person's district, an organisation administrator of an organisation with a
    current reason to handle the person (an enrolment in its class, an employment it records:
    scopes.REASON_RELATIONS, not ended), and the person. Each reveal states its purpose
    (services.person_reveal)."""
    if not _active(user):
        return False
    if user.role in BUREAU_ROLES:
        return True
    if user.role == Role.DISTRICT_REVIEWER:
        return person.district_id == user.district_id
    if user.role == Role.ORG_ADMIN:
        return (
            reason_affiliations(user.organisation_id)
            .filter(person_id=person.pk)
            .filter(Q(until__isnull=True) | Q(until__gte=clock.today()))
            .exists()
        )
    if user.role == Role.WORKER:
        return person.pk == user.person_id
    return False


def can_see_every_person(user) -> bool:
    """The bureau sees the whole registry; nothing a registration answers can tell it more."""
    return _active(user) and user.role in BUREAU_ROLES


def can_view_key_groups(user, person) -> bool:
    """Key-group memberships of `person` (KeyGroupMembership.objects.visible_to decides which):
    the bureau, the person's district reviewer and the person; never an organisation."""
    if not _active(user):
        return False
    if user.role in BUREAU_ROLES:
        return True
    if user.role == Role.DISTRICT_REVIEWER:
        return person.district_id == user.district_id
    return user.role == Role.WORKER and person.pk == user.person_id


def can_filter_by_key_group(user) -> bool:
    return _active(user) and user.role in (BUREAU_ROLES | {Role.DISTRICT_REVIEWER})


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
