"""A URL configuration for the API tests: the training router mounted as the lead will mount it
(/api/v1/training), beside the project's own URLs, with the project's authentication."""

from django.urls import path
from ninja import NinjaAPI

from haihe.api import OrjsonParser, OrjsonRenderer, SessionAuth, TokenAuth
from haihe.urls import urlpatterns as project_urls

test_api = NinjaAPI(
    title="Haihe API (training tests)",
    version="test",
    urls_namespace="api-training-test",
    auth=[TokenAuth(), SessionAuth()],
    parser=OrjsonParser(),
    renderer=OrjsonRenderer(),
)
test_api.add_router("/training", "haihe.training.api.router", url_name_prefix="training-test")

urlpatterns = [path("api/test/", test_api.urls), *project_urls]
