from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "taxgov.federal.accounts"
    label = "federal_accounts"
