"""The site's error pages (haihe/urls.py's handlers and CSRF_FAILURE_VIEW): the layout and the
user's language (LocaleMiddleware has activated it before any view runs), never Django's bare
defaults. Under /api/ and /xapi/ a machine gets an RFC 9457 problem instead of a page.

The 500 page is rendered without the request's context processors (the failure may be theirs):
the layout is told `minimal`, so it shows no navigation, account or form, and if even that
fails, a static page in the same words is sent."""

import json
import logging

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from haihe.core.problems import PROBLEM_MEDIA_TYPE, problem

logger = logging.getLogger("haihe.errors")

MACHINE_PREFIXES = ("/api/", "/xapi/")


def _for_machine(request) -> bool:
    return request is not None and request.path.startswith(MACHINE_PREFIXES)


def _problem(status: int, detail: str = "") -> HttpResponse:
    return HttpResponse(
        json.dumps(problem(status, detail), ensure_ascii=False),
        status=status,
        content_type=PROBLEM_MEDIA_TYPE,
    )


def _page(request, template: str, status: int, context: dict | None = None) -> HttpResponse:
    if _for_machine(request):
        return _problem(status)
    return HttpResponse(render_to_string(template, context or {}, request=request), status=status)


def bad_request(request, exception=None):
    return _page(request, "errors/400.html", 400)


def permission_denied(request, exception=None):
    reason = str(exception) if exception is not None and str(exception) else ""
    if _for_machine(request):
        return _problem(403, reason)
    return _page(request, "errors/403.html", 403, {"reason": reason})


def page_not_found(request, exception=None):
    return _page(request, "errors/404.html", 404)


def csrf_failure(request, reason=""):
    return _page(request, "errors/403_csrf.html", 403)


def server_error(request=None):
    if _for_machine(request):
        return _problem(500)
    try:
        body = render_to_string("errors/500.html", {"minimal": True})
    except Exception:  # the layout itself failed: a page with no template at all
        logger.exception("the 500 page could not be rendered")
        body = (
            '<!doctype html><html><head><meta charset="utf-8"><title>500</title></head><body>'
            f"<h1>{_('服务器内部错误')}</h1><p>{_('请稍后再试；问题已记录。')}</p>"
            '<p><a href="/">' + _("返回首页") + "</a></p></body></html>"
        )
    return HttpResponse(body, status=500)
