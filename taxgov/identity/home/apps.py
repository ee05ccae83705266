from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "taxgov.identity.home"
    label = "identity_home"
