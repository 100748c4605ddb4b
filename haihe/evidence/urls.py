from django.urls import path

from haihe.evidence import views

app_name = "evidence"
urlpatterns = [
    path("<int:pk>/", views.download, name="download"),
    path("<int:pk>/remove/", views.remove, name="remove"),
    path("cases/<slug:case_key>/<int:object_id>/", views.attach, name="attach"),
]
