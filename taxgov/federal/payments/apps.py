from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "taxgov.federal.payments"
    label = "federal_payments"
