from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "taxgov.common.mfa"
    label = "mfa"
    verbose_name = "Two-step verification"
