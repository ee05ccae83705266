from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "taxgov.ledger"
    label = "ledger"
