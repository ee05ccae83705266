from django.apps import AppConfig


class ProfileConfig(AppConfig):
    name = "taxgov.federal.profile"
    label = "federal_profile"
