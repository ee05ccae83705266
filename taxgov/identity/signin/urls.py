from django.urls import path

from taxgov.identity.signin import views

app_name = "signin"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/choose/", views.choose, name="choose"),
    path("sign-in/verify/", views.verify, name="verify"),
    path("sign-in/verify/resend/", views.resend, name="resend"),
    path("sign-in/recovery-code/", views.recovery_code, name="recovery"),
    path("sign-in/lost-everything/", views.request_reset, name="request_reset"),
    path("sign-in/key/", views.key_sign_in, name="key"),
    path("sign-in/key/options/", views.key_sign_in_options, name="key_options_sign_in"),
    path("sign-in/key/verify/", views.key_sign_in_verify, name="key_verify"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("security/", views.setup, name="setup"),
    path("security/phone/", views.add_phone, name="add_phone"),
    path("security/app/", views.setup_app, name="setup_app"),
    path("security/key/", views.setup_key, name="setup_key"),
    path("security/key/options/", views.key_options, name="key_options"),
    path("security/key/register/", views.key_register, name="key_register"),
    path("security/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("security/another/", views.another, name="another"),
    path("security/done/", views.finish_setup, name="finish_setup"),
    path("account/sign-in-again/", views.reauthenticate, name="reauthenticate"),
]
