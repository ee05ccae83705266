from django.apps import AppConfig


class BusinessConfig(AppConfig):
    name = "taxgov.federal.business"
    label = "federal_business"
