from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "taxgov.federal.notices"
    label = "federal_notices"
