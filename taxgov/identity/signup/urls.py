from django.urls import path

from taxgov.identity.signup import views

app_name = "signup"
urlpatterns = [
    path("sign-up/", views.start, name="start"),
    path("sign-up/confirm/", views.confirm, name="confirm"),
    path("sign-up/confirm/resend/", views.resend, name="resend"),
    path("sign-up/confirm/<str:token>/", views.confirm_link, name="confirm_link"),
    path("sign-up/password/", views.password, name="password"),
]
