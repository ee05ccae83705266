from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "taxgov.state.portal"
    label = "state_portal"
