from django.apps import AppConfig


class AuthorizationsConfig(AppConfig):
    name = "taxgov.federal.authorizations"
    label = "federal_authorizations"
