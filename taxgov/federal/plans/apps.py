from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "taxgov.federal.plans"
    label = "federal_plans"
