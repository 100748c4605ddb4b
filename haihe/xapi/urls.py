"""xAPI 1.0.3 learning record store, mounted at /xapi/, and the operators' pages."""

from django.urls import path, re_path

from haihe.xapi import pages, views

app_name = "xapi"

urlpatterns = [
    re_path(r"^statements/?$", views.statements, name="statements"),
    re_path(r"^activities/state/?$", views.state, name="state"),
    re_path(r"^activities/profile/?$", views.activity_profile, name="activity-profile"),
    re_path(r"^activities/?$", views.activities, name="activities"),
    re_path(r"^agents/profile/?$", views.agent_profile, name="agent-profile"),
    re_path(r"^agents/?$", views.agents, name="agents"),
    re_path(r"^about/?$", views.about, name="about"),
    path("platforms/", pages.platform_list, name="platform-list"),
    path("platforms/<int:pk>/", pages.platform_detail, name="platform-detail"),
    path("platforms/<int:pk>/select/", pages.platform_select_view, name="platform-select"),
    path("selections/<int:pk>/revoke/", pages.selection_revoke_view, name="selection-revoke"),
    path("platforms/<int:pk>/credentials/", pages.credential_issue_view, name="credential-issue"),
    path("credentials/<int:pk>/revoke/", pages.credential_revoke_view, name="credential-revoke"),
]
