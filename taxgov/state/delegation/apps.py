from django.apps import AppConfig


class DelegationConfig(AppConfig):
    name = "taxgov.state.delegation"
    label = "state_delegation"
