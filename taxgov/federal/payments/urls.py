from django.urls import path

from taxgov.federal.payments import views

app_name = "payments"
urlpatterns = [
    path("account/payments/", views.activity, name="activity"),
    path("account/payments/new/", views.make, name="make"),
    path("account/payments/<uuid:public_id>/", views.detail, name="detail"),
    path("account/payments/<uuid:public_id>/cancel/", views.cancel, name="cancel"),
]
