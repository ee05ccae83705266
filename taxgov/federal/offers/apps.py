from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "taxgov.federal.offers"
    label = "federal_offers"
