from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "taxgov.state.accounts"
    label = "state_accounts"
