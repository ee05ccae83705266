from django.urls import path

from taxgov.federal.notices import views

app_name = "notices"
urlpatterns = [
    path("account/notices/", views.index, name="index"),
    path("account/notices/preferences/", views.preferences, name="preferences"),
    path("account/notices/<int:notice_id>/", views.detail, name="detail"),
    path("account/notices/<int:notice_id>/pdf/", views.download, name="download"),
    path("account/notices/<int:notice_id>/unread/", views.mark_unread, name="mark-unread"),
]
