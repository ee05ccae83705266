from django.urls import path

from taxgov.federal.authorizations import views
from taxgov.federal.authorizations.models import ProfessionalKind

app_name = "authorizations"
PRO = "account/tax-pro"
urlpatterns = [
    path("account/authorizations/", views.index, name="index"),
    path("account/authorizations/<uuid:public_id>/", views.decide, name="decide"),
    path("account/authorizations/<uuid:public_id>/revoke/", views.revoke, name="revoke"),
    path(
        "account/authorizations/income-verification/<uuid:public_id>/",
        views.verification_decide,
        name="verification-decide",
    ),
    path(f"{PRO}/", views.pro_home, name="pro-home"),
    path(f"{PRO}/profile/new/", views.pro_create, {"kind": ProfessionalKind.TAX_PROFESSIONAL}, name="pro-create"),
    path(
        f"{PRO}/profile/new/income-verification/",
        views.pro_create,
        {"kind": ProfessionalKind.INCOME_VERIFICATION},
        name="participant-create",
    ),
    path(f"{PRO}/requests/new/", views.request_new, name="request-new"),
    path(f"{PRO}/requests/<uuid:public_id>/", views.request_detail, name="request-detail"),
    path(f"{PRO}/requests/<uuid:public_id>/withdraw/", views.request_withdraw, name="request-withdraw"),
    path(f"{PRO}/requests/<uuid:public_id>/<str:matter>/<int:year>/", views.client_year, name="client-year"),
    path(f"{PRO}/requests/<uuid:public_id>/<int:year>/transcript/", views.client_transcript, name="client-transcript"),
    path(f"{PRO}/income-verification/new/", views.verification_new, name="verification-new"),
    path(f"{PRO}/income-verification/<uuid:public_id>/", views.verification_detail, name="verification-detail"),
    path(
        f"{PRO}/income-verification/<uuid:public_id>/<int:year>/transcript/",
        views.verification_transcript,
        name="verification-transcript",
    ),
]
