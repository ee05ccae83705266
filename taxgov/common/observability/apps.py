from django.apps import AppConfig
from django.core.signals import request_finished


class ObservabilityConfig(AppConfig):
    name = "taxgov.common.observability"
    label = "common_observability"

    def ready(self) -> None:
        from taxgov.common.observability import signals
        from taxgov.common.observability.middleware import forget_request_id

        request_finished.connect(forget_request_id, dispatch_uid="taxgov.observability.forget")
        signals.connect()
