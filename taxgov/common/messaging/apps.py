from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "taxgov.common.messaging"
    label = "common_messaging"

    def ready(self) -> None:
        from taxgov.common.messaging import checks  # noqa: F401  (registers the checks)
