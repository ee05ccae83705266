from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "taxgov.state.home"
    label = "state_home"
