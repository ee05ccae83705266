"""The provider's public documents and its keys: discovery, the JWKS through a key rotation
(the old key published until its last ID token expires), signing keys encrypted at rest, and
clients registered by an administrator's command."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from taxgov.common.audit.models import AuditEvent
from taxgov.identity.oidc import actions, queries
from taxgov.identity.oidc.actions import secret_hash
from taxgov.identity.oidc.models import Client, SigningKey

pytestmark = pytest.mark.django_db


def test_discovery_says_what_the_provider_does(client):
    document = client.get(reverse("oidc:discovery")).json()
    assert document["issuer"] == "https://testserver"
    assert document["jwks_uri"] == "https://testserver/openid/jwks"
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["subject_types_supported"] == ["pairwise"]
    assert document["response_types_supported"] == ["code"]
    assert set(document["token_endpoint_auth_methods_supported"]) == {"private_key_jwt", "client_secret_basic"}
    assert document["acr_values_supported"] == ["urn:acr.taxgov.example:auth-only", "urn:acr.taxgov.example:verified"]
    assert "social_security_number" in document["claims_supported"]


def test_the_issuer_can_be_configured(client, settings):
    settings.TAXGOV_OIDC = {**settings.TAXGOV_OIDC, "issuer": "https://login.example.gov/"}
    assert client.get(reverse("oidc:discovery")).json()["issuer"] == "https://login.example.gov"


def test_a_rotated_key_stays_published_until_its_tokens_expire(client, settings):
    assert client.get(reverse("oidc:jwks")).json() == {"keys": []}
    first = actions.do_rotate_signing_key(actor="user:1")
    signed = jwt.encode({"alg": "RS256", "kid": first.kid}, {"sub": "x"}, RSAKey.import_key(first.private_pem))
    rotated_at = timezone.now()
    second = actions.do_rotate_signing_key(actor="user:1", now=rotated_at)

    published = client.get(reverse("oidc:jwks")).json()["keys"]
    assert [key["kid"] for key in published] == [second.kid, first.kid]
    assert all(not {"d", "p", "q"} & set(key) for key in published)
    assert jwt.decode(signed, KeySet.import_key_set({"keys": published})).claims == {"sub": "x"}
    assert queries.active_key() == second

    lifetime = dt.timedelta(seconds=settings.TAXGOV_OIDC["token_seconds"] + 61)
    assert [key.kid for key in queries.published_keys(rotated_at + lifetime)] == [second.kid]
    assert AuditEvent.objects.filter(tag="identity:oidc:signing_key_rotated").count() == 2


def test_signing_keys_are_encrypted_at_rest():
    key = actions.do_rotate_signing_key(actor="user:1")
    with connection.cursor() as cursor:
        cursor.execute("SELECT private_pem FROM identity_oidc_signingkey WHERE id = %s", [key.pk])
        stored = cursor.fetchone()[0]
    assert "PRIVATE KEY" not in stored
    assert SigningKey.objects.get(pk=key.pk).private_pem.startswith("-----BEGIN PRIVATE KEY-----")


def test_rotating_only_if_missing_makes_one_key():
    call_command("rotate_signing_key", "--if-missing")
    call_command("rotate_signing_key", "--if-missing")
    assert SigningKey.objects.count() == 1


@pytest.fixture
def jwks_file(tmp_path):
    public = RSAKey.generate_key(2048, auto_kid=True).as_dict(private=False)
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [public]}))
    return path


def register(*args: str) -> None:
    call_command("register_client", *args)


def test_a_private_key_jwt_client_is_registered_and_updated(jwks_file, capsys):
    base = ["federal", "--name", "Federal Revenue Service", "--scope", "openid", "--scope", "email"]
    register(
        *base, "--redirect-uri", "http://localhost:8001/callback", "--acr", "verified", "--jwks-file", str(jwks_file)
    )
    client = Client.objects.get(client_id="federal")
    assert client.auth_method == "private_key_jwt"
    assert client.sector == "localhost"
    assert client.acr_values == ["urn:acr.taxgov.example:verified"]
    assert client.secret_hash == ""

    register(*base, "--redirect-uri", "https://tax.example.gov/callback", "--acr", "auth-only", "--acr", "verified",
             "--jwks-file", str(jwks_file))  # fmt: skip
    client.refresh_from_db()
    assert client.redirect_uris == ["https://tax.example.gov/callback"]
    assert client.sector == "localhost"  # pairwise subjects never change with the URIs
    tags = list(AuditEvent.objects.values_list("tag", flat=True))
    assert tags.count("identity:oidc:client_registered") == 1
    assert tags.count("identity:oidc:client_updated") == 1
    assert "Updated client federal." in capsys.readouterr().out


def test_a_secret_client_gets_its_secret_once(capsys):
    register("tool", "--name", "Tool", "--scope", "openid", "--redirect-uri", "https://tool.example/cb",
             "--acr", "auth-only", "--new-secret")  # fmt: skip
    secret = capsys.readouterr().out.split("Client secret (shown once): ")[1].strip()
    assert Client.objects.get(client_id="tool").secret_hash == secret_hash(secret)
    assert not AuditEvent.objects.filter(extra__icontains=secret).exists()


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"--redirect-uri": "http://tax.example.gov/cb"}, "use HTTPS"),
        ({"--redirect-uri": "https://tax.example.gov/cb#x"}, "without a fragment"),
        ({"--redirect-uri": "https://[2001:db8::1]/cb"}, "not an IPv6 address"),
        ({"--redirect-uri": "http://[::1]:8001/cb"}, "not an IPv6 address"),
        ({"--scope": "email"}, "needs the openid scope"),
    ],
)
def test_a_bad_registration_is_refused_and_changes_nothing(jwks_file, changes, problem):
    options = {"--redirect-uri": "https://tax.example.gov/cb", "--scope": "openid", **changes}
    args = [arg for pair in options.items() for arg in pair]
    with pytest.raises(CommandError, match=problem):
        register("federal", "--name", "F", *args, "--acr", "verified", "--jwks-file", str(jwks_file))
    assert not Client.objects.exists()


def test_a_private_key_in_the_jwks_is_refused(tmp_path):
    path = tmp_path / "private.json"
    path.write_text(json.dumps({"keys": [RSAKey.generate_key(2048).as_dict(private=True)]}))
    with pytest.raises(CommandError, match="public keys only"):
        register("federal", "--name", "F", "--scope", "openid", "--redirect-uri", "https://t.example/cb",
                 "--acr", "verified", "--jwks-file", str(path))  # fmt: skip
