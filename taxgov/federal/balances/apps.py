from django.apps import AppConfig


class BalancesConfig(AppConfig):
    name = "taxgov.federal.balances"
    label = "federal_balances"
