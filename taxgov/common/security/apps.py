from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "taxgov.common.security"
    label = "common_security"

    def ready(self) -> None:
        from taxgov.common.security import checks  # noqa: F401  (registers the checks)
