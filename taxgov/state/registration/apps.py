from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "taxgov.state.registration"
    label = "state_registration"
