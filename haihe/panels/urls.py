from django.urls import path

from haihe.panels import views, views_bureau, views_roster

app_name = "panels"
urlpatterns = [
    path("", views_bureau.index, name="index"),
    path("<int:pk>/", views_bureau.panel_detail, name="panel"),
    path("<int:pk>/action/", views_bureau.panel_action, name="panel_action"),
    path("<int:pk>/members/", views_bureau.panel_members, name="panel_members"),
    path("<int:pk>/assign/", views_bureau.panel_assign, name="panel_assign"),
    path("<int:pk>/results.csv", views_bureau.results_export, name="results_export"),
    path("cases/<int:pk>/", views_bureau.case_detail, name="case"),
    path("cases/<int:pk>/action/", views_bureau.case_action, name="case_action"),
    path("experts/", views_roster.experts, name="experts"),
    path("experts/<int:pk>/", views_roster.expert_detail, name="expert"),
    path("experts/<int:pk>/action/", views_roster.expert_action, name="expert_action"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/declare/", views.declare, name="declare"),
    path("tasks/export.csv", views.tasks_export, name="tasks_export"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/recuse/", views.recuse, name="recuse"),
]
