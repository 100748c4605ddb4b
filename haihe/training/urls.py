from django.urls import path

from haihe.training import views

app_name = "training"
urlpatterns = [
    path("", views.classes, name="classes"),
    path("review/", views.review_queue, name="review_queue"),
    path("refusals/", views.refusals, name="refusals"),
    path("mine/", views.mine, name="mine"),
    path("classes/new/", views.class_new, name="class_new"),
    path("classes/<int:pk>/", views.class_detail, name="class"),
    path("classes/<int:pk>/edit/", views.class_edit, name="class_edit"),
    path(
        "classes/<int:pk>/transition/<slug:name>/",
        views.class_transition,
        name="class_transition",
    ),
    path("classes/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("classes/<int:pk>/sessions/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("enrolments/<int:pk>/", views.enrolment_detail, name="enrolment"),
    path("enrolments/<int:pk>/outcomes/", views.outcome_record, name="outcome_record"),
    path("enrolments/<int:pk>/<slug:name>/", views.enrolment_action, name="enrolment_action"),
    path("outcomes/<int:pk>/void/", views.outcome_void, name="outcome_void"),
]
