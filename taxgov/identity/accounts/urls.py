from django.urls import path

from taxgov.identity.accounts import views

app_name = "account"
urlpatterns = [
    path("account/", views.index, name="index"),
    path("account/methods/<int:factor_id>/remove/", views.remove_method, name="remove_method"),
    path("account/browsers/<int:device_id>/forget/", views.forget_browser, name="forget_browser"),
]
