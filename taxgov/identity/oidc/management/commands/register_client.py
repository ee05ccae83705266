"""Register (or update) a relying party: its redirect URIs, what it may ask for, and how it
proves itself at the token endpoint (its public keys, or a secret printed once)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taxgov.identity.oidc import actions, claims
from taxgov.identity.oidc.forms import ClientRegistrationForm
from taxgov.identity.oidc.models import AuthMethod, Client

ACR_NAMES = {"auth-only": claims.acr_auth_only, "verified": claims.acr_verified}


class Command(BaseCommand):
    help = (
        "Register or update an OpenID Connect client, from options or from a registration "
        "document (--from-file: the JSON a relying party prints, as the federal account's "
        "oidc_client_registration does)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("client_id", nargs="?")
        parser.add_argument("--from-file", type=Path, help="a registration document (JSON) with every field")
        parser.add_argument("--name", help="the agency, as the consent page names it")
        parser.add_argument("--redirect-uri", action="append", default=[], dest="redirect_uris")
        parser.add_argument("--post-logout-redirect-uri", action="append", default=[], dest="logout_uris")
        parser.add_argument("--scope", action="append", default=[], dest="scopes", choices=list(claims.SCOPE_CLAIMS))
        parser.add_argument(
            "--claim",
            action="append",
            default=[],
            dest="claims",
            choices=claims.claims_of(list(claims.SCOPE_CLAIMS)),
            help="a claim it may receive (default: every claim of its scopes)",
        )
        parser.add_argument("--acr", action="append", default=[], dest="acrs", choices=list(ACR_NAMES))
        parser.add_argument("--jwks-file", type=Path, help="the client's public keys (private_key_jwt)")
        parser.add_argument(
            "--new-secret", action="store_true", help="client_secret_basic: make a secret, print it once"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["from_file"]:
            data = _read_json(options["from_file"], "registration document")
            data = {
                **data,
                "auth_method": AuthMethod.PRIVATE_KEY_JWT,
                "jwks": json.dumps(data.get("jwks") or {}),
                "claims": data.get("claims") or claims.claims_of(data.get("scopes") or []),
                "redirect_uris": _lines(data.get("redirect_uris")),
                "post_logout_redirect_uris": _lines(data.get("post_logout_redirect_uris")),
            }
        else:
            if not options["client_id"] or bool(options["jwks_file"]) == bool(options["new_secret"]):
                raise CommandError("Give a client id and either --jwks-file or --new-secret (or --from-file).")
            jwks = _read_json(options["jwks_file"], "JWKS file") if options["jwks_file"] else {}
            data = {
                "client_id": options["client_id"],
                "name": options["name"],
                "auth_method": AuthMethod.CLIENT_SECRET_BASIC if options["new_secret"] else AuthMethod.PRIVATE_KEY_JWT,
                "redirect_uris": "\n".join(options["redirect_uris"]),
                "post_logout_redirect_uris": "\n".join(options["logout_uris"]),
                "scopes": options["scopes"],
                "claims": options["claims"] or claims.claims_of(options["scopes"]),
                "acr_values": [ACR_NAMES[name]() for name in options["acrs"]],
                "jwks": json.dumps(jwks) if jwks else "",
                "new_secret": options["new_secret"],
            }
        existing = Client.objects.filter(client_id=str(data.get("client_id") or "")).first()
        form = ClientRegistrationForm(data, client=existing)
        if not form.is_valid():
            problems = "; ".join(f"{field}: {' '.join(map(str, errors))}" for field, errors in form.errors.items())
            raise CommandError(problems)
        secret = secrets.token_urlsafe(32) if form.makes_a_secret() else None
        client, created = actions.do_register_client(form.cleaned_data, secret=secret, actor="system:manage")
        self.stdout.write(f"{'Registered' if created else 'Updated'} client {client.client_id}.")
        if secret:
            self.stdout.write(f"Client secret (shown once): {secret}")


def _lines(uris: Any) -> str:
    if uris is None:
        return ""
    if not isinstance(uris, list) or not all(isinstance(uri, str) for uri in uris):
        raise CommandError("Redirect URIs are a list of URLs.")
    return "\n".join(uris)


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise CommandError(f"Could not read the {what}: {error}") from None
    if not isinstance(data, dict):
        raise CommandError(f"The {what} is not a JSON object.")
    return data
