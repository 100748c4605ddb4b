"""The project's URLs plus the subsidies router on a test API, so the API tests run whether or
not haihe/api.py mounts the router yet (it is mounted at /api/v1/subsidies there)."""

from django.urls import path
from ninja import NinjaAPI

from haihe.api import OrjsonParser, OrjsonRenderer, SessionAuth, TokenAuth
from haihe.urls import urlpatterns as project_urls

test_api = NinjaAPI(
    title="Haihe subsidies (tests)",
    version="test",
    urls_namespace="subsidies-api-test",
    auth=[TokenAuth(), SessionAuth()],
    parser=OrjsonParser(),
    renderer=OrjsonRenderer(),
)
test_api.add_router("/subsidies", "haihe.subsidies.api.router")

urlpatterns = [*project_urls, path("api/test/", test_api.urls)]
