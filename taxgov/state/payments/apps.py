from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "taxgov.state.payments"
    label = "state_payments"
