from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "taxgov.identity.accounts"
    label = "identity_accounts"
