from django.urls import path

from taxgov.common.messaging import views

app_name = "outbox"
urlpatterns = [
    path("", views.outbox, name="list"),
    path("<int:message_id>/", views.message_detail, name="detail"),
    path("<int:message_id>/html/", views.message_html, name="html"),
    path("<int:message_id>/letter.pdf", views.message_pdf, name="pdf"),
]
