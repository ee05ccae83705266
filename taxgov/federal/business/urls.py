from django.urls import path

from taxgov.federal.business import views

app_name = "business"
urlpatterns = [
    path("account/businesses/", views.index, name="index"),
    path("account/businesses/register/", views.register, name="register"),
    path("account/businesses/people/", views.people, name="people"),
    path("account/businesses/people/<uuid:role_id>/remove/", views.remove, name="remove"),
    path("account/businesses/individual-only/", views.individual_only, name="individual_only"),
    path("account/businesses/<uuid:entity_id>/revalidate/", views.revalidate, name="revalidate"),
]
