from django.urls import path

from taxgov.state.portal import views

app_name = "portal"
urlpatterns = [
    path("account/", views.home, name="home"),
    path("account/letters/<int:notice_id>/", views.letter, name="letter"),
    path("account/profile/", views.profile, name="profile"),
    path("account/profile/two-step/<int:factor_id>/remove/", views.remove_factor, name="remove_factor"),
    path("account/profile/devices/<int:device_id>/remove/", views.revoke_device, name="revoke_device"),
]
