"""Who may see, attach and remove evidence: one place, delegating to what the case's module
registered (cases.CaseKind). Pure functions of the user and the case (or the evidence)."""

from haihe.evidence.cases import case_kind_for_content_type, case_kind_for_model


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_view_case_evidence(user, case) -> bool:
    """May `user` see the evidence of `case` (list it, download it)?"""
    return _active(user) and case_kind_for_model(case).can_view(user, case)


def can_attach_evidence(user, case) -> bool:
    """May `user` attach evidence to `case` now (the module says: e.g. its claim is editable)?"""
    return can_view_case_evidence(user, case) and case_kind_for_model(case).can_attach(user, case)


def can_view_evidence(user, evidence) -> bool:
    """May `user` download this file? Only while it is not removed, and only if they may see its
    case."""
    if not _active(user) or evidence.removed:
        return False
    kind = case_kind_for_content_type(evidence.content_type_id)
    case = evidence.case
    return case is not None and kind.can_view(user, case)


def can_remove_evidence(user, evidence) -> bool:
    """Removal: while the module lets the user change the case (and so attach to it)."""
    if not can_view_evidence(user, evidence):
        return False
    kind = case_kind_for_content_type(evidence.content_type_id)
    return kind.can_remove(user, evidence.case)
