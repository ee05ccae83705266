from django.apps import AppConfig


class SignupConfig(AppConfig):
    name = "taxgov.identity.signup"
    label = "identity_signup"
