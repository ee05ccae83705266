from django.apps import AppConfig


class FormsConfig(AppConfig):
    name = "taxgov.federal.forms"
    label = "federal_forms"
