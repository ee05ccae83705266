from django.urls import path

from taxgov.federal.records import views

app_name = "records"
urlpatterns = [
    path("account/records/", views.index, name="index"),
    path("account/records/documents/<int:document_id>/", views.document, name="document"),
    path("account/records/transcripts/", views.transcripts, name="transcripts"),
    path("account/records/refund-status/", views.refund_status, name="refund-status"),
    path("account/records/audit-status/", views.audit_status, name="audit-status"),
]
