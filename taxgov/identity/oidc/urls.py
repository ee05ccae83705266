from django.urls import path

from taxgov.identity.oidc import views

app_name = "oidc"
urlpatterns = [
    path(".well-known/openid-configuration", views.discovery, name="discovery"),
    path("openid/jwks", views.jwks, name="jwks"),
    path("openid/authorize", views.authorize, name="authorize"),
    path("openid/token", views.token, name="token"),
    path("openid/userinfo", views.userinfo, name="userinfo"),
    path("openid/logout", views.logout, name="logout"),
    path("account/connected/<uuid:public_id>/disconnect/", views.disconnect, name="disconnect"),
    path("staff/clients/", views.clients, name="clients"),
    path("staff/clients/new/", views.new_client, name="new_client"),
    path("staff/clients/<str:client_id>/", views.change_client, name="change_client"),
    path("staff/clients/<str:client_id>/switch/", views.switch_client, name="switch_client"),
]
