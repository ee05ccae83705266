from django.urls import path

from taxgov.federal.signin import views

app_name = "federal_signin"
urlpatterns = [
    path("sign-in/", views.start, name="start"),
    path("sign-in/callback/", views.callback, name="callback"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("signed-out/", views.signed_out, name="signed_out"),
]
