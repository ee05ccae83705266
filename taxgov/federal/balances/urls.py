from django.urls import path

from taxgov.federal.balances import views

app_name = "balances"
urlpatterns = [
    path("account/", views.home, name="home"),
]
