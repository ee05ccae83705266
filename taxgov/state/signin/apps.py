from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "taxgov.state.signin"
    label = "state_signin"
