from django.urls import path

from haihe.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.index, name="index"),
    path("platforms/<int:pk>/", views.platform, name="platform"),
    path("classes/<int:pk>/", views.training_class, name="class"),
    path("enrolments/<int:pk>/", views.enrolment, name="enrolment"),
    path("flags/", views.flags, name="flags"),
    path("flags/<int:pk>/", views.flag_detail, name="flag"),
    path("flags/<int:pk>/close/", views.flag_close, name="flag_close"),
]
