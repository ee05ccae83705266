from django.urls import path

from taxgov.identity.oidc import views

app_name = "oidc"
urlpatterns = [
    path(".well-known/openid-configuration", views.discovery, name="discovery"),
    path("openid/jwks", views.jwks, name="jwks"),
]
