from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "taxgov.federal.records"
    label = "federal_records"
