from django.urls import path

from taxgov.state.delegation import views

app_name = "delegation"
urlpatterns = [
    path("account/access/", views.manage_access, name="manage_access"),
    path("account/access/<int:grant_id>/accounts/", views.set_scope, name="set_scope"),
    path("account/access/<int:grant_id>/remove/", views.revoke, name="revoke"),
    path("account/access/<int:grant_id>/decide/", views.decide, name="decide"),
    path("account/clients/", views.manage_clients, name="manage_clients"),
]
