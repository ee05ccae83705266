from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "taxgov.identity.records"
    label = "identity_records"
