from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "taxgov.federal.home"
    label = "federal_home"
