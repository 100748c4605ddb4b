from django.urls import path

from haihe.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("imports/<slug:kind>/", views.import_start, name="import_start"),
    path("imports/<slug:kind>/template.<str:fmt>", views.import_template, name="import_template"),
    path("imports/jobs/<int:pk>/", views.import_job, name="import_job"),
]
