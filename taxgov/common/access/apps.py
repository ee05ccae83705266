from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "taxgov.common.access"
    label = "common_access"
