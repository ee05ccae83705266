from django.urls import path

from taxgov.federal.plans import views

app_name = "plans"
urlpatterns = [
    path("account/payment-plans/", views.index, name="index"),
    path("account/payment-plans/apply/short-term/", views.apply_short_term, name="apply-short-term"),
    path("account/payment-plans/apply/long-term/", views.apply_long_term, name="apply-long-term"),
    path("account/payment-plans/<uuid:public_id>/", views.detail, name="detail"),
    path("account/payment-plans/<uuid:public_id>/revise/", views.revise, name="revise"),
]
