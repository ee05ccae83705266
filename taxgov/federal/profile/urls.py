from django.urls import path

from taxgov.federal.profile import views

app_name = "profile"
urlpatterns = [
    path("account/profile/", views.detail, name="detail"),
    path("account/profile/create/", views.create, name="create"),
    path("account/profile/not-found/", views.not_found, name="not_found"),
]
