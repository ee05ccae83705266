from django.urls import path

from taxgov.federal.forms import views

app_name = "forms"
urlpatterns = [
    path("account/forms/", views.index, name="index"),
    path("account/forms/submitted/<uuid:public_id>/", views.detail, name="detail"),
    path("account/forms/<slug:code>/", views.FormStepView.as_view(), name="start"),
    path("account/forms/<slug:code>/cancel/", views.cancel, name="cancel"),
    path("account/forms/<slug:code>/<slug:step>/", views.FormStepView.as_view(), name="step"),
]
