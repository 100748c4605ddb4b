from django.urls import path

from haihe.notices import manage_views, views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/object/", views.objection_create, name="object"),
    path("objections/status/", views.objection_status, name="objection_status"),
    path("manage/", manage_views.manage_list, name="manage"),
    path("manage/new/", manage_views.manage_create, name="manage_create"),
    path("manage/<int:pk>/", manage_views.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/<str:action>/", manage_views.manage_transition, name="manage_transition"),
    path("manage/objections/<int:pk>/", manage_views.manage_objection, name="manage_objection"),
    path(
        "manage/objections/<int:pk>/contact/",
        manage_views.manage_objection_contact,
        name="manage_objection_contact",
    ),
    path(
        "manage/objections/<int:pk>/<str:action>/",
        manage_views.manage_objection_transition,
        name="manage_objection_transition",
    ),
]
