from django.urls import path

from taxgov.state.registration import views

app_name = "registration"
urlpatterns = [
    path("sign-up/", views.options, name="options"),
    path("sign-up/confirmation/", views.confirmation, name="confirmation"),
    path("sign-up/<str:kind>/", views.RegistrationStepView.as_view(), name="start"),
    path("sign-up/<str:kind>/cancel/", views.cancel, name="cancel"),
    path("sign-up/<str:kind>/<str:step>/", views.RegistrationStepView.as_view(), name="step"),
    path("activate/<str:token>/", views.activate, name="activate"),
    path("staff/registrations/", views.review_queue, name="review_queue"),
    path("staff/registrations/<uuid:public_id>/", views.review, name="review"),
]
