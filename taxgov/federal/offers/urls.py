from django.urls import path

from taxgov.federal.offers import views

app_name = "offers"
urlpatterns = [
    path("account/offer-in-compromise/", views.index, name="index"),
    path("account/offer-in-compromise/start/", views.start, name="start"),
    path("account/offer-in-compromise/<uuid:public_id>/", views.PrequalifierStepView.as_view(), name="resume"),
    path("account/offer-in-compromise/<uuid:public_id>/not-eligible/", views.ineligible, name="ineligible"),
    path("account/offer-in-compromise/<uuid:public_id>/result/", views.result, name="result"),
    path("account/offer-in-compromise/<uuid:public_id>/start-over/", views.start_over, name="start_over"),
    path(
        "account/offer-in-compromise/<uuid:public_id>/<slug:step>/",
        views.PrequalifierStepView.as_view(),
        name="step",
    ),
]
