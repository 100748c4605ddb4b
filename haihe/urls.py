from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from haihe.api import api

urlpatterns = [
    path("", include("haihe.core.urls")),
    path("accounts/", include("haihe.accounts.urls")),
    path("registry/", include("haihe.registry.urls")),
    path("policy/", include("haihe.policy.urls")),
    path("notices/", include("haihe.notices.urls")),
    path("evidence/", include("haihe.evidence.urls")),
    path("panels/", include("haihe.panels.urls")),
    path("dashboard/", include("haihe.stats.urls")),
    path("training/", include("haihe.training.urls")),
    path("subsidies/", include("haihe.subsidies.urls")),
    path("payments/", include("haihe.payments.urls")),
    path("supervision/", include("haihe.supervision.urls")),
    path("schools/", include("haihe.schools.urls")),
    path("xapi/", include("haihe.xapi.urls")),
    path("accreditation/", include("haihe.accreditation.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api.urls),
]

# The site's own error pages, in the user's language (haihe.core.errors).
handler400 = "haihe.core.errors.bad_request"
handler403 = "haihe.core.errors.permission_denied"
handler404 = "haihe.core.errors.page_not_found"
handler500 = "haihe.core.errors.server_error"
