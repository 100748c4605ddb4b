"""Reads shared by the supervisor pages (views.py) and the JSON API (api.py): the same rows, the
same filters, always through `visible_to(user)` or the supervised classes of scopes.py."""

from haihe.supervision.models import Flag, FlagKind, FlagStatus, LearningSession
from haihe.supervision.scopes import supervised_enrolments

ALL_STATUSES = "all"


def filter_flags(flags, *, status="", kind="", platform_id=None, class_id=None):
    """The flag queue's filters. Unknown values are the caller's to refuse (the API) or ignore
    (the page): this applies only the ones that are valid."""
    if status in FlagStatus.values:
        flags = flags.filter(status=status)
    if kind in FlagKind.values:
        flags = flags.filter(kind=kind)
    if platform_id is not None:
        flags = flags.filter(platform_id=platform_id)
    if class_id is not None:
        flags = flags.filter(enrolment__training_class_id=class_id)
    return flags


def visible_flags(user):
    return Flag.objects.visible_to(user).select_related(
        "platform", "person", "enrolment__training_class", "district", "closed_by"
    )


def flag_sessions(user, flag) -> list[LearningSession]:
    """The sessions a flag is about: its session, and for a day's flag the person's other
    sessions of that day (visible to `user`)."""
    sessions = []
    if flag.session_key:
        sessions = list(
            LearningSession.objects.visible_to(user)
            .filter(person_id=flag.person_id, key=flag.session_key)
            .select_related("platform", "enrolment")
        )
    if flag.day and flag.person_id:
        sessions += list(
            LearningSession.objects.visible_to(user)
            .filter(person_id=flag.person_id, started_at__date=flag.day)
            .exclude(key=flag.session_key)
            .select_related("platform", "enrolment")
        )
    return sessions


def trainee_sessions(user, person_id: int):
    """A trainee's sessions on every platform and enrolment `user` may see, in time order (the
    timeline: overlaps and the daily cap look across enrolments and platforms)."""
    return (
        LearningSession.objects.visible_to(user)
        .filter(person_id=person_id)
        .select_related("platform", "enrolment")
        .order_by("started_at", "id")
    )


def supervised_enrolment_rows(user):
    """Enrolments of the supervised classes with their verified hours (if computed)."""
    return supervised_enrolments(user).select_related("person", "training_class", "verified_online")
