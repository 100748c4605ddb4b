"""What a panel scores: the purposes modules register, and the case adapter of each.

A panel scores "cases" of any model (an accreditation application, a certification candidate, a
competitor, an honour nomination). The module that owns the model registers a `Purpose` once,
in its AppConfig.ready():

    from haihe.panels.cases import CaseAdapter, Purpose, register_purpose

    class ApplicationCases(CaseAdapter):
        def label(self, application):
            return f"{application.number} {application.organisation.name}"
        def organisations(self, application):
            return [application.organisation]
        def people(self, application):
            return [application.leader] if application.leader_id else []

    register_purpose(
        Purpose(
            key="accreditation_review",
            label=_("认定评审"),
            model="accreditation.Application",
            adapter=ApplicationCases(),
            parameters="panels.accreditation_review",
        )
    )

The panel asks the adapter for each case's display name, the organisations and people its
conflicts of interest are checked against, its blind label and the details a scorer may see.
The scoring scheme is read from the dated parameters under the purpose's prefix (scheme.py).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _


class CaseAdapter:
    """Tells a panel about the cases of one purpose. Subclass and override what applies."""

    def label(self, obj: models.Model) -> str:
        """The case's display name (for the bureau, and for scorers when the panel is not
        blind)."""
        return str(obj)

    def organisations(self, obj: models.Model) -> Iterable[models.Model]:
        """The registry Organisations the case belongs to (applicant, employer, school…):
        an expert tied to any of them has a conflict of interest."""
        return ()

    def people(self, obj: models.Model) -> Iterable[models.Model]:
        """The registry People the case is about (candidate, nominee, studio leader…): an
        expert who is one of them, works beside them or trained them has a conflict."""
        return ()

    def blind_label(self, obj: models.Model, code: str) -> str:
        """What a scorer sees instead of the name on a blind panel; `code` is the case's
        random code in the panel. Must not reveal the name or the organisation."""
        return _("案卷 %(code)s") % {"code": code}

    def details(self, obj: models.Model, *, blind: bool) -> list[tuple[str, str]]:
        """(label, value) pairs shown on the scoring page; with `blind`, nothing that names
        the case's people or organisations."""
        return []

    def extra_conflicts(self, obj: models.Model, expert, on) -> Iterable:
        """Module-specific conflicts of interest (e.g. master and apprentice), as
        `haihe.policy.rules.Reason`s with ok=False; the panel adds them to its own."""
        return ()


@dataclass(frozen=True)
class Purpose:
    key: str  # stored on the panel, e.g. "accreditation_review"
    label: Promise
    model: str  # "app_label.ModelName" of the cases
    adapter: CaseAdapter
    parameters: str  # prefix of the dated scheme parameters, e.g. "panels.accreditation_review"

    @property
    def case_model(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def param_key(self, name: str) -> str:
        return f"{self.parameters}.{name}"


PURPOSES: dict[str, Purpose] = {}


def register_purpose(purpose: Purpose) -> Purpose:
    """Register a purpose once; registering another with the same key is an error."""
    known = PURPOSES.get(purpose.key)
    if known is not None and known != purpose:
        raise ValueError(f"panel purpose {purpose.key!r} is already registered")
    PURPOSES[purpose.key] = purpose
    return purpose


def purpose_for(key: str) -> Purpose:
    try:
        return PURPOSES[key]
    except KeyError:
        raise LookupError(f"no panel purpose {key!r} is registered") from None


def purpose_choices() -> list[tuple[str, str]]:
    return [(p.key, str(p.label)) for p in sorted(PURPOSES.values(), key=lambda p: p.key)]
