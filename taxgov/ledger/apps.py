from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "taxgov.ledger"
    label = "ledger"

    def ready(self) -> None:
        from taxgov.ledger import checks  # noqa: F401  (registers the deployment checks)
