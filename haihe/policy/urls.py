from django.urls import path

from haihe.policy import calendar_views, views

app_name = "policy"
urlpatterns = [
    path("", views.parameters, name="parameters"),
    path("calendar/", calendar_views.calendar_years, name="calendar"),
    path("calendar/<int:year>/", calendar_views.calendar_year, name="calendar_year"),
    path(
        "calendar/<int:year>/days/<int:pk>/void/",
        calendar_views.calendar_day_void,
        name="calendar_day_void",
    ),
    path("<str:key>/", views.parameter_detail, name="parameter"),
    path("<str:key>/values/<int:pk>/void/", views.value_void, name="value_void"),
]
