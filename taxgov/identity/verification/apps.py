from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "taxgov.identity.verification"
    label = "identity_verification"
