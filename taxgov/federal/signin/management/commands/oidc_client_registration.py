"""Print what the identity provider needs to register this relying party, as JSON: our
client id, callback and sign-out addresses, scopes, the assurance we ask for and our public
key (the private half never leaves this side). The provider reads it with
``manage.py register_client --from-file``."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse

from taxgov.federal.signin import provider


class Command(BaseCommand):
    help = "Print the federal account's OpenID Connect client registration (public data only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url", required=True, help="where this deployable answers, e.g. https://tax.example.gov"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        base = options["base_url"].rstrip("/")
        config = provider.config()
        document = {
            "client_id": config["client_id"],
            "name": settings.TAXGOV_BRAND["agency_name"],
            "redirect_uris": [base + reverse("federal_signin:callback")],
            "post_logout_redirect_uris": [base + reverse("federal_signin:signed_out")],
            "scopes": config["scopes"],
            "acr_values": [config["acr_verified"]],
            "jwks": provider.public_jwks(),
        }
        self.stdout.write(json.dumps(document, indent=2))
