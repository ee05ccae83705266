from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "taxgov.common.audit"
    label = "common_audit"
