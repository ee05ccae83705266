"""Loads every installed app's demo data; running it again changes nothing."""

from __future__ import annotations

import importlib.util
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Load the synthetic demo data of every installed app (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        if settings.TAXGOV_ENV == "production" and not settings.TAXGOV_DEMO_MODE:
            raise CommandError("Demo data is only loaded in development or with TAXGOV_DEMO_MODE on.")
        providers = [
            app.name for app in apps.get_app_configs() if importlib.util.find_spec(f"{app.name}.demo") is not None
        ]
        for name in providers:
            module = importlib.import_module(f"{name}.demo")
            with transaction.atomic():
                summary = module.load_demo_data()
            self.stdout.write(f"{settings.TAXGOV_DEPLOYABLE}: {summary}")
        if not providers:
            self.stdout.write(f"{settings.TAXGOV_DEPLOYABLE}: no demo data to load yet.")
