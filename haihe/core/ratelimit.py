"""Per-account rate limits for expensive endpoints, counted in Django's cache.

A bucket (``"stats"``, ``"export"``) has a limit of N requests per S seconds per account
(`settings.HAIHE_RATE_LIMITS`, from `HAIHE_RATE_LIMIT_*`). Windows are fixed and real time
(`clock.real_now`): the count of an account's requests in the current window lives in the cache
(shared by every app process with Redis or the database cache), so a limit holds across
processes. Over the limit, the answer is `429 Too Many Requests` with `Retry-After` (the seconds
left in the window) and an RFC 9457 problem body in the caller's language.

Where limits apply:
- Django views: `RateLimitMiddleware` limits the views named in `settings.HAIHE_RATE_LIMITED_VIEWS`
  (URL name -> bucket), after authentication, for signed-in accounts;
- API operations (whose account is known only after the API's own authentication): the
  operation calls `limit(request, bucket, user=request.auth)` and returns its response if any.
"""

import math

import orjson
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _

from haihe.core import clock

PROBLEM_TYPE = "about:blank"  # RFC 9457 §4.2.1: the status code says it all


def problem_response(status: int, title: str, detail: str, headers=None) -> HttpResponse:
    """An RFC 9457 problem-details response."""
    body = {"type": PROBLEM_TYPE, "title": title, "status": status, "detail": detail}
    return HttpResponse(
        orjson.dumps(body),
        status=status,
        content_type="application/problem+json",
        headers=headers,
    )


def _count(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def hit(user, bucket: str) -> int | None:
    """Count one request of `user` in `bucket`; the seconds to wait if it is over the limit,
    else None."""
    limit, seconds = settings.HAIHE_RATE_LIMITS[bucket]
    now = clock.real_now().timestamp()
    window = int(now // seconds)
    count = _count(f"haihe:ratelimit:{bucket}:{user.pk}:{window}", seconds + 1)
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * seconds - now))


def too_many_requests(retry_after: int) -> HttpResponse:
    return problem_response(
        429,
        _("请求过于频繁"),
        _("该账户的此类请求已达上限，请在 %(seconds)d 秒后再试。") % {"seconds": retry_after},
        headers={"Retry-After": str(retry_after)},
    )


def limit(request, bucket: str, *, user=None) -> HttpResponse | None:
    """A 429 response when the account is over the bucket's limit (counting this request),
    else None. `user` defaults to the request's signed-in user; anonymous calls are not
    counted here (the endpoints concerned refuse them anyway)."""
    user = user if user is not None else getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    retry_after = hit(user, bucket)
    return too_many_requests(retry_after) if retry_after is not None else None


class RateLimitMiddleware:
    """Applies `settings.HAIHE_RATE_LIMITED_VIEWS` (URL name -> bucket) to Django views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        bucket = settings.HAIHE_RATE_LIMITED_VIEWS.get(match.view_name) if match else None
        return limit(request, bucket) if bucket else None
