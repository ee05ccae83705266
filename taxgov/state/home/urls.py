from django.urls import path

from taxgov.state.home import views

app_name = "home"
urlpatterns = [
    path("", views.home, name="index"),
    path("help/faq/", views.faq, name="faq"),
    path("help/videos/", views.tutorials, name="tutorials"),
]
