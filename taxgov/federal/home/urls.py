from django.urls import path

from taxgov.federal.home import views

app_name = "home"
urlpatterns = [
    path("", views.home, name="index"),
    path("account/records/", views.section, {"name": "records"}, name="records"),
    path("account/notices/", views.section, {"name": "notices"}, name="notices"),
    path("account/forms/", views.section, {"name": "forms"}, name="forms"),
    path("account/authorizations/", views.section, {"name": "authorizations"}, name="authorizations"),
]
