from django.urls import path

from taxgov.identity.signin import views

app_name = "signin"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/choose/", views.choose, name="choose"),
    path("sign-in/verify/", views.verify, name="verify"),
    path("sign-in/verify/resend/", views.resend, name="resend"),
    path("sign-in/recovery-code/", views.recovery_code, name="recovery"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("security/", views.setup, name="setup"),
    path("security/phone/", views.add_phone, name="add_phone"),
    path("security/app/", views.setup_app, name="setup_app"),
    path("security/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("security/another/", views.another, name="another"),
    path("security/done/", views.finish_setup, name="finish_setup"),
    path("account/sign-in-again/", views.reauthenticate, name="reauthenticate"),
]
