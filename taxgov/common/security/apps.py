from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "taxgov.common.security"
    label = "common_security"
