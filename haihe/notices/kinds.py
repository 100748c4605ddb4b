"""The kinds of public notice, registered by the modules that publish them.

A module registers its kind once (in its AppConfig.ready) with the hook that tells it how a
notice ended, so that it never polls notices:

    from haihe.notices.kinds import NoticeKind, register

    def _notice_closed(notice):             # runs inside the transaction that closes it
        if notice.status == "final": ...        # the period passed with no objection upheld
        elif notice.status == "objection_upheld": ...   # an objection was upheld
        elif notice.status == "withdrawn": ...  # the bureau withdrew it

    register(NoticeKind("honours.haihe_craftsman", _("海河工匠评选结果"), on_closed=_notice_closed))

The period is the dated parameter `notices.<kind>.period_working_days` when the kind has one,
else `notices.default.period_working_days`. A hook that raises rolls its notice back to where it
was (the next run of `notice_finalise_due` tries again); other notices are not held up.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

Hook = Callable[[Any], None]


@dataclass(frozen=True)
class NoticeKind:
    key: str
    label: Any
    on_closed: Hook | None = None
    manual: bool = False  # the bureau may write notices of this kind on the notices page


KINDS: dict[str, NoticeKind] = {}


def register(kind: NoticeKind) -> NoticeKind:
    existing = KINDS.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"notice kind {kind.key!r} is already registered differently")
    KINDS[kind.key] = kind
    return kind


def unregister(key: str) -> None:
    """For tests."""
    KINDS.pop(key, None)


def get(key: str) -> NoticeKind | None:
    return KINDS.get(key)


def manual_kinds() -> list[NoticeKind]:
    return [kind for kind in KINDS.values() if kind.manual]


# A notice the bureau writes by hand, about nothing the platform holds (e.g. the result of a
# selection decided outside it). No module reacts to how it ends.
ANNOUNCEMENT = NoticeKind("notices.announcement", _("一般公示"), manual=True)
