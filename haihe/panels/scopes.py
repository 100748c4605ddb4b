"""Who sees which panel rows: one `visible_to(user)` per model, used by every list, detail,
export and API call; anything not granted here is invisible (a 404).

- the bureau (bureau admin, municipal reviewer) sees everything;
- an expert (an account of role `expert`, through its person) sees their own roster entry,
  their own assignments, score sheets and declarations, the panels they sit on, the cases they
  are assigned to (live assignments only: not after recusal or cancellation), and, as a panel's
  chair, the panel's cases and members (never another member's score sheet);
- nobody else sees any (a district reviewer, an organisation, a worker).
"""

from django.db import models

from haihe.accounts.roles import BUREAU_ROLES, Role, active_role


def _expert_person(user) -> int | None:
    """The person an expert account acts as; None for any other account."""
    if active_role(user) != Role.EXPERT:
        return None
    return user.person_id


class _Scoped(models.QuerySet):
    def visible_to(self, user):
        role = active_role(user)
        if role in BUREAU_ROLES:
            return self.all()
        person = _expert_person(user)
        if person is None:
            return self.none()
        return self._for_expert(person)

    def _for_expert(self, person_id: int):  # pragma: no cover - every subclass overrides
        return self.none()


class ExpertQuerySet(_Scoped):
    def _for_expert(self, person_id):
        return self.filter(person_id=person_id)

    def active(self):
        return self.filter(status="active")


class PanelQuerySet(_Scoped):
    def _for_expert(self, person_id):
        sits = models.Q(members__expert__person_id=person_id, members__withdrawn_at__isnull=True)
        return self.filter(sits | models.Q(chair__person_id=person_id)).distinct()


class PanelMemberQuerySet(_Scoped):
    def _for_expert(self, person_id):
        return self.filter(
            models.Q(expert__person_id=person_id) | models.Q(panel__chair__person_id=person_id)
        )

    def active(self):
        return self.filter(withdrawn_at__isnull=True)


def _live_own_assignment(person_id: int, prefix: str = "") -> models.Q:
    return models.Q(
        **{
            f"{prefix}assignments__member__expert__person_id": person_id,
            f"{prefix}assignments__status": "assigned",
        }
    )


class PanelCaseQuerySet(_Scoped):
    def _for_expert(self, person_id):
        chaired = models.Q(panel__chair__person_id=person_id)
        return self.filter(_live_own_assignment(person_id) | chaired).distinct()

    def live(self):
        return self.exclude(status="withdrawn")


class AssignmentQuerySet(_Scoped):
    def _for_expert(self, person_id):
        return self.filter(member__expert__person_id=person_id)

    def live(self):
        return self.filter(status="assigned")


class ScoreSheetQuerySet(_Scoped):
    def _for_expert(self, person_id):
        return self.filter(assignment__member__expert__person_id=person_id)


class ScoreQuerySet(_Scoped):
    def _for_expert(self, person_id):
        return self.filter(sheet__assignment__member__expert__person_id=person_id)


class AggregationQuerySet(_Scoped):
    def _for_expert(self, person_id):
        chaired = models.Q(case__panel__chair__person_id=person_id)
        return self.filter(_live_own_assignment(person_id, "case__") | chaired).distinct()


class ConflictDeclarationQuerySet(_Scoped):
    def _for_expert(self, person_id):
        return self.filter(expert__person_id=person_id)

    def live(self):
        return self.filter(voided_at__isnull=True)
