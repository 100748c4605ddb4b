from django.urls import path

from haihe.payments import views

app_name = "payments"
urlpatterns = [
    path("", views.batches, name="batches"),
    path("<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/export.<str:fmt>", views.batch_export, name="batch_export"),
    path("<int:pk>/cancel/", views.batch_cancel, name="batch_cancel"),
    path("<int:pk>/lines/<int:line_pk>/", views.payment_record, name="payment_record"),
]
