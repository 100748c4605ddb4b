from django.urls import path

from haihe.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.parameters, name="parameters"),
    path("<str:key>/", views.parameter_detail, name="parameter"),
    path("<str:key>/values/<int:pk>/void/", views.value_void, name="value_void"),
]
