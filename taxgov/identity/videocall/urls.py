from django.urls import path

from taxgov.identity.videocall import views

app_name = "videocall"
urlpatterns = [
    path("verify/call/", views.lobby, name="lobby"),
    path("verify/call/line/", views.join_line, name="join_line"),
    path("verify/call/leave/", views.leave, name="leave"),
    path("verify/call/notify/", views.notify, name="notify"),
    path("verify/call/status/", views.status, name="status"),
    path("verify/call/book/", views.book, name="book"),
    path("verify/call/check-in/", views.check_in, name="check_in"),
    path("verify/call/room/", views.room, name="room"),
    path("verify/call/signal/", views.signal, name="signal"),
    path("staff/video-calls/", views.console, name="console"),
    path("staff/video-calls/duty/", views.shift, name="shift"),
    path("staff/video-calls/next/", views.call_next, name="call_next"),
    path("staff/video-calls/figures/", views.figures, name="figures"),
    path("staff/video-calls/<uuid:public_id>/", views.case, name="case"),
    path("staff/video-calls/<uuid:public_id>/call/", views.call_appointment, name="call_appointment"),
    path("staff/video-calls/<uuid:public_id>/no-show/", views.no_show, name="no_show"),
    path("staff/video-calls/<uuid:public_id>/signal/", views.agent_signal, name="agent_signal"),
    path("staff/video-calls/<uuid:public_id>/hold/", views.place_hold, name="place_hold"),
    path("staff/video-calls/<uuid:public_id>/hold/<int:hold_id>/release/", views.release_hold, name="release_hold"),
    path("staff/video-calls/<uuid:public_id>/evidence/<slug:kind>/", views.evidence, name="evidence"),
]
