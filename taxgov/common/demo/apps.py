from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "taxgov.common.demo"
    label = "common_demo"
