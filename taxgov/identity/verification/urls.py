from django.urls import path

from taxgov.identity.verification import views

app_name = "verification"
urlpatterns = [
    path("verify/", views.start, name="start"),
    path("verify/done/", views.done, name="done"),
    path("verify/help/<str:code>/", views.problem, name="problem"),
    path("verify/steps/", views.VerifyStepView.as_view(), name="resume"),
    path("verify/steps/<slug:step>/", views.VerifyStepView.as_view(), name="step"),
    path("verify/confirm-by/<slug:by>/", views.choose_confirmation, name="choose_confirmation"),
    path("verify/by-mail/steps/", views.ByMailStepView.as_view(), name="mail_resume"),
    path("verify/by-mail/steps/<slug:step>/", views.ByMailStepView.as_view(), name="mail_step"),
    path("verify/video-call/", views.choose_video_call, name="choose_video_call"),
    path("verify/video-call/steps/", views.VideoCallStepView.as_view(), name="video_resume"),
    path("verify/video-call/steps/<slug:step>/", views.VideoCallStepView.as_view(), name="video_step"),
]
