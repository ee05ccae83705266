from django.apps import AppConfig


class UswdsConfig(AppConfig):
    name = "taxgov.common.uswds"
    label = "common_uswds"
