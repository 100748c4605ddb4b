"""Reads of notices: what a module asks about its own rows, the public list, an objector's
look-up by reference and token."""

import secrets
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import models, transaction

from haihe.notices.models import PHASE_LABELS, Notice, Objection, normalise_token, token_digest

PUBLIC_VERSION_KEY = "notices:public:version"
PUBLIC_CACHE_SECONDS = 300
PUBLIC_PAGE_SIZE = 20
PUBLIC_STATES = ("all", "open", "closed")


# -- for the module that owns what a notice publishes -------------------------------------


def notices_for(obj: models.Model) -> models.QuerySet:
    """Every notice about `obj`, newest first (a module may publish again after a withdrawal
    or an upheld objection)."""
    return Notice.objects.filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
    ).order_by("-created_at", "-pk")


def current_notice(obj: models.Model) -> Notice | None:
    """The latest notice about `obj` that was not withdrawn."""
    return notices_for(obj).exclude(status=Notice.Status.WITHDRAWN).first()


def is_final(obj: models.Model) -> bool:
    """Whether the result about `obj` has passed its public notice: its latest notice ended
    with no objection upheld."""
    notice = current_notice(obj)
    return notice is not None and notice.status == Notice.Status.FINAL


# -- the public list, cached until a notice changes ----------------------------------------


def public_version() -> str:
    version = cache.get(PUBLIC_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(PUBLIC_VERSION_KEY, version, None):
            version = cache.get(PUBLIC_VERSION_KEY) or version
    return version


def public_changed() -> None:
    """A notice was published, withdrawn or closed: the cached public pages are stale."""
    transaction.on_commit(lambda: cache.set(PUBLIC_VERSION_KEY, uuid.uuid4().hex, None))


def _phase_filter(state: str, today) -> models.Q:
    open_now = models.Q(status=Notice.Status.PUBLISHED, ends_on__gte=today)
    if state == "open":
        return open_now
    if state == "closed":
        return ~open_now
    return models.Q()


def public_notice_page(*, state: str, page: str | int | None, today, language: str) -> dict:
    """One page of the public list as plain data, served from the cache until any notice is
    published, withdrawn or closed (or the day changes)."""
    if state not in PUBLIC_STATES:
        raise ValueError(state)
    try:
        number = max(1, int(page or 1))
    except (TypeError, ValueError):
        number = 1
    key = f"notices:public:{public_version()}:{language}:{today.isoformat()}:{state}:{number}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    rows = (
        Notice.objects.public()
        .filter(_phase_filter(state, today))
        .order_by("-starts_on", "-pk")
        .only(
            "pk",
            "reference",
            "kind",
            "title",
            "title_en",
            "publisher_name",
            "status",
            "starts_on",
            "ends_on",
        )
    )
    paginator = Paginator(rows, PUBLIC_PAGE_SIZE)
    current = paginator.get_page(number)
    data = {
        "rows": [
            {
                "pk": n.pk,
                "reference": n.reference,
                "title": n.display_title,
                "kind": str(n.kind_label),
                "publisher": n.publisher_name,
                "starts_on": n.starts_on,
                "ends_on": n.ends_on,
                "phase": n.phase(today),
                "phase_label": str(PHASE_LABELS[n.phase(today)]),
            }
            for n in current.object_list
        ],
        "number": current.number,
        "num_pages": paginator.num_pages,
        "count": paginator.count,
    }
    cache.set(key, data, PUBLIC_CACHE_SECONDS)
    return data


def period_messages(notice: Notice) -> list[str]:
    """The explanation of a notice's period, in the reader's language."""
    from haihe.policy.rules import Reason

    return [Reason.from_dict(r).message for r in notice.period_explanation.get("reasons", [])]


# -- objectors ------------------------------------------------------------------------------


def objection_by_token(reference: str, token: str) -> Objection | None:
    """The objection with this reference if the token is its own (compared in constant time);
    None for anything else, without telling which part was wrong."""
    reference = (reference or "").strip().upper()
    token = normalise_token(token)
    if not reference or not token or len(reference) > 24 or len(token) > 100:
        return None
    objection = Objection.objects.select_related("notice").filter(reference=reference).first()
    if objection is None:
        secrets.compare_digest(token_digest(token), "0" * 64)  # the same work either way
        return None
    if not secrets.compare_digest(objection.token_digest, token_digest(token)):
        return None
    return objection
