from django.urls import path

from haihe.registry import views

app_name = "registry"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/export.csv", views.people_export, name="people_export"),
    path("people/new/", views.person_register, name="person_register"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("people/<int:pk>/key-groups/", views.person_key_group_add, name="person_key_group_add"),
    path(
        "people/<int:pk>/key-groups/<int:membership_pk>/void/",
        views.person_key_group_void,
        name="person_key_group_void",
    ),
    path("me/", views.me, name="me"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/export.csv", views.organisations_export, name="organisations_export"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("districts/", views.districts, name="districts"),
    path("occupations/", views.occupations, name="occupations"),
]
