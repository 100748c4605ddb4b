"""The site's navigation, registered by each module: an entry names its URL, its label, the area
it belongs to and who sees it. Each app registers its entries in its own `nav.py` (core's are in
`nav_entries.py`), imported from its AppConfig.ready():

    from haihe.core import nav

    nav.register(nav.Entry("training:classes", _("培训班"), nav.TRAINING, allowed=REVIEWERS | ORGS))

`allowed` is a set of roles or a function `allowed(user) -> bool` (for rules beyond the role,
such as "organisation users only for an online training platform"). The header shows the areas
in AREAS order, each with its visible entries in `order`; an area with none is not shown.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from haihe.accounts.roles import ORG_ROLES, active_role

REGISTRY = "registry"
TRAINING = "training"
SUPERVISION = "supervision"
CERTIFICATION = "certification"
COMPETITIONS = "competitions"
ACCREDITATION = "accreditation"
STATISTICS = "statistics"
ADMINISTRATION = "administration"

# Short words: the header shows every area on one line (context "nav area" in the catalogue).
AREAS: tuple[tuple[str, Any], ...] = (
    (REGISTRY, pgettext_lazy("nav area", "名册")),
    (TRAINING, pgettext_lazy("nav area", "培训与补贴")),
    (SUPERVISION, pgettext_lazy("nav area", "线上培训监管")),
    (CERTIFICATION, pgettext_lazy("nav area", "技能评价")),
    (COMPETITIONS, pgettext_lazy("nav area", "竞赛与表彰")),
    (ACCREDITATION, pgettext_lazy("nav area", "认定与备案")),
    (STATISTICS, pgettext_lazy("nav area", "统计")),
    (ADMINISTRATION, pgettext_lazy("nav area", "系统管理")),
)
AREA_KEYS = tuple(key for key, _label in AREAS)


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: Any
    area: str
    allowed: frozenset[str] | Callable[[Any], bool]
    order: int = 100

    def __post_init__(self):
        if self.area not in AREA_KEYS:
            raise ValueError(f"unknown navigation area {self.area!r} for {self.url_name}")
        if not callable(self.allowed):
            object.__setattr__(self, "allowed", frozenset(self.allowed))

    def visible_to(self, user) -> bool:
        if active_role(user) is None:
            return False
        if callable(self.allowed):
            return bool(self.allowed(user))
        return user.role in self.allowed


ENTRIES: dict[str, Entry] = {}


def register(*entries: Entry) -> None:
    for entry in entries:
        existing = ENTRIES.get(entry.url_name)
        if existing is not None and existing != entry:
            raise ValueError(f"navigation entry {entry.url_name!r} is already registered")
        ENTRIES[entry.url_name] = entry


def unregister(url_name: str) -> None:
    """For tests."""
    ENTRIES.pop(url_name, None)


def roles_and(roles: Iterable[str], *conditions: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """`allowed` for "one of these roles, and every condition holds"."""
    roles = frozenset(roles)

    def allowed(user) -> bool:
        return active_role(user) in roles and all(condition(user) for condition in conditions)

    return allowed


def organisation_of_kind(*kinds: str) -> Callable[[Any], bool]:
    """A condition: organisation users see the entry only for an organisation of one of these
    kinds; everyone else passes (their role decides)."""

    def condition(user) -> bool:
        if user.role not in ORG_ROLES:
            return True
        organisation = user.organisation
        return organisation is not None and any(organisation.has_kind(k) for k in kinds)

    return condition


# Organisation users see the online-training pages only for an online training platform.
platform_or_staff = organisation_of_kind("online_training_platform")


def entries_for(user) -> list[Entry]:
    """The entries `user` sees, by area (AREAS order) then by order."""
    rank = {key: i for i, key in enumerate(AREA_KEYS)}
    visible = [entry for entry in ENTRIES.values() if entry.visible_to(user)]
    return sorted(visible, key=lambda e: (rank[e.area], e.order, e.url_name))


def groups_for(user, path: str = "") -> list[dict]:
    """The header's groups: [{"key", "label", "active", "items": [{"url", "label", "active"}]}].
    The active entry is the one whose URL is the longest prefix of `path`."""
    items = [
        {"name": entry.url_name, "area": entry.area, "url": reverse(entry.url_name),
         "label": entry.label, "active": False}
        for entry in entries_for(user)
    ]  # fmt: skip
    matches = [item for item in items if path.startswith(item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    labels = dict(AREAS)
    groups: list[dict] = []
    for item in items:
        if not groups or groups[-1]["key"] != item["area"]:
            groups.append(
                {"key": item["area"], "label": labels[item["area"]], "active": False, "items": []}
            )
        groups[-1]["items"].append(item)
        groups[-1]["active"] |= item["active"]
    return groups
