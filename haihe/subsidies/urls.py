from django.urls import path

from haihe.subsidies import views, views_bureau

app_name = "subsidies"
urlpatterns = [
    path("claims/", views.claims, name="claims"),
    path("claims/new/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/submit/", views.claim_submit, name="claim_submit"),
    path("claims/<int:pk>/withdraw/", views.claim_withdraw, name="claim_withdraw"),
    path("claims/<int:pk>/review/", views.claim_review, name="claim_review"),
    path("claims/<int:pk>/lines/<int:line_pk>/", views.line_exclude, name="line_exclude"),
    path("queue/", views.queue, name="queue"),
    path("mine/", views.mine, name="mine"),
    path("catalogue/", views_bureau.catalogue, name="catalogue"),
    path("catalogue/price/", views_bureau.catalogue_price, name="catalogue_price"),
    path("catalogue/<int:pk>/void/", views_bureau.catalogue_void, name="catalogue_void"),
    path("totals/", views_bureau.totals_page, name="totals"),
]
