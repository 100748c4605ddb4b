from django.urls import path

from haihe.stats import views

app_name = "stats"
urlpatterns = [path("", views.dashboard, name="dashboard")]
