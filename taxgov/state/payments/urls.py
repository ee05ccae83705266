from django.urls import path

from taxgov.state.payments import views

app_name = "payments"
urlpatterns = [
    path("account/payments/", views.history, name="history"),
    path("account/payments/new/<uuid:taxpayer_id>/", views.make_payment, name="make"),
    path("account/payments/<uuid:public_id>/", views.detail, name="detail"),
    path("account/payments/<uuid:public_id>/cancel/", views.cancel, name="cancel"),
]
