from django.urls import path

from taxgov.state.signin import views

app_name = "signin"
urlpatterns = [
    path("log-in/", views.login_view, name="login"),
    path("log-out/", views.logout_view, name="logout"),
    path("log-in/cancel/", views.cancel_login, name="cancel"),
    path("two-step/", views.setup, name="setup"),
    path("two-step/email/", views.add_email, name="add_email"),
    path("two-step/phone/", views.add_phone, name="add_phone"),
    path("two-step/app/", views.setup_app, name="setup_app"),
    path("two-step/verify/", views.verify, name="verify"),
    path("two-step/resend/", views.resend, name="resend"),
    path("two-step/another-way/", views.use_factor, name="use_factor"),
    path("forgot/", views.forgot, name="forgot"),
    path("reset/<str:uidb64>/<str:token>/", views.reset, name="reset"),
]
