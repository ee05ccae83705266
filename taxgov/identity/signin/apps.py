from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "taxgov.identity.signin"
    label = "identity_signin"
