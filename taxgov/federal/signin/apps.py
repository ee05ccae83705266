from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "taxgov.federal.signin"
    label = "federal_signin"
