from django.urls import path

from haihe.schools import views, views_pay

app_name = "schools"
urlpatterns = [
    path("majors/", views.majors, name="majors"),
    path("majors/new/", views.major_edit, name="major_new"),
    path("majors/<int:pk>/", views.major_detail, name="major"),
    path("majors/<int:pk>/edit/", views.major_edit, name="major_edit"),
    path("majors/<int:pk>/<str:action>/", views.major_action, name="major_action"),
    path("register/", views.register, name="register"),
    path("register/export.<str:fmt>", views.register_export, name="register_export"),
    path("agreements/", views.agreements, name="agreements"),
    path("agreements/new/", views.agreement_edit, name="agreement_new"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/<str:action>/", views.agreement_action, name="agreement_action"),
    path("queue/", views.queue, name="queue"),
    path("pay/", views_pay.plans, name="pay"),
    path("pay/new/", views_pay.plan_edit, name="pay_new"),
    path("pay/<int:pk>/", views_pay.plan_detail, name="pay_plan"),
    path("pay/<int:pk>/edit/", views_pay.plan_edit, name="pay_edit"),
    path("pay/<int:pk>/<str:action>/", views_pay.plan_action, name="pay_action"),
]
