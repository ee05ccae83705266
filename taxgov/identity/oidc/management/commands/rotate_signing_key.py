"""Make a new ID-token signing key; the old one stays published until its tokens expire.

Run it on a schedule (say, every 90 days) or at once if a key may have leaked; with
``--if-missing`` it only makes the first key (``make run`` and deployments call it so)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from taxgov.identity.oidc import actions, queries


class Command(BaseCommand):
    help = "Rotate the OpenID Connect signing key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="only make a key if there is none")

    def handle(self, *args: Any, if_missing: bool, **options: Any) -> None:
        if if_missing and queries.active_key() is not None:
            self.stdout.write("A signing key is in use; nothing to do.")
            return
        key = actions.do_rotate_signing_key(actor="system:manage")
        self.stdout.write(f"Signing with key {key.kid}.")
