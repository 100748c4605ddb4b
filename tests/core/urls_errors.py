"""The project's URLs plus views that fail, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from haihe.urls import handler400, handler403, handler404, handler500  # noqa: F401
from haihe.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("boom")


def suspicious(request):
    raise SuspiciousOperation("bad")


def refused(request):
    raise PermissionDenied("只有开班单位可以执行此操作。")


urlpatterns = [
    path("test-errors/boom/", boom),
    path("api/v1/test-errors/boom/", boom),
    path("test-errors/suspicious/", suspicious),
    path("test-errors/refused/", refused),
    *project_urlpatterns,
]
