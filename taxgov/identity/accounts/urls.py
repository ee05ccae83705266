from django.urls import path

from taxgov.identity.accounts import views

app_name = "account"
urlpatterns = [
    path("account/", views.index, name="index"),
    path("account/methods/<int:factor_id>/remove/", views.remove_method, name="remove_method"),
    path("account/keys/<int:key_id>/remove/", views.remove_key, name="remove_key"),
    path("account/history/", views.history, name="history"),
    path("account/emails/add/", views.add_email, name="add_email"),
    path("account/emails/confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("account/emails/<int:address_id>/primary/", views.make_primary, name="make_primary"),
    path("account/emails/<int:address_id>/remove/", views.remove_email, name="remove_email"),
    path("account/my-data/", views.download, name="download"),
    path("account/delete/", views.delete, name="delete"),
    path("password/forgot/", views.forgot_password, name="forgot_password"),
    path("password/reset/<str:uidb64>/<str:token>/", views.reset_password, name="reset_password"),
    path("this-wasnt-me/<str:token>/", views.disavow, name="disavow"),
    path("account-reset/cancel/<str:token>/", views.reset_cancel, name="reset_cancel"),
    path("account-reset/complete/<str:token>/", views.reset_complete, name="reset_complete"),
    path("account/browsers/<int:device_id>/forget/", views.forget_browser, name="forget_browser"),
]
