from django.urls import path

from haihe.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("alerts/", views.security_alerts, name="security_alerts"),
    path(
        "alerts/<int:pk>/acknowledge/",
        views.security_alert_acknowledge,
        name="security_alert_acknowledge",
    ),
]
