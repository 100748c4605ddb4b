from django.urls import path

from haihe.accreditation import views

app_name = "accreditation"
urlpatterns = [
    path("", views.home, name="home"),
    path("calls/", views.calls, name="calls"),
    path("calls/new/", views.call_new, name="call-new"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/apply/", views.apply, name="apply"),
    path("calls/<int:pk>/eligibility/", views.eligibility_preview, name="eligibility"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application-submit"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application-decide"),
    path("review/", views.review_queue, name="queue"),
    path("recognitions/", views.recognitions, name="recognitions"),
    path("recognitions/<int:pk>/", views.recognition_detail, name="recognition"),
    path("recognitions/<int:pk>/status/", views.recognition_status, name="recognition-status"),
    path("recognitions/<int:pk>/report/", views.report_file, name="report-file"),
    path("recognitions/<int:pk>/change/", views.change_file, name="change-file"),
    path("reports/<int:pk>/check/", views.report_check, name="report-check"),
    path("changes/<int:pk>/decide/", views.change_decide, name="change-decide"),
    path("register/", views.public_register, name="register"),
    path("register/<str:kind>/", views.public_register, name="register-kind"),
    path("register/<str:kind>/export.<str:fmt>", views.register_export, name="register-export"),
]
