"""This deployable's production settings pass Django's deployment checks, and refuse to
start without their secrets. Runs once per deployable, in a subprocess with a clean
production environment."""

from __future__ import annotations

import base64
import functools
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.conftest import current_deployable

ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def relying_party_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem.decode()


def production_environment(tmp_path: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TAXGOV_")}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return {
        **environment,
        "TAXGOV_ENV": "production",
        "TAXGOV_DATA_DIR": str(tmp_path),
        "TAXGOV_SECRET_KEY": secrets.token_urlsafe(50),
        "TAXGOV_PII_KEYS": "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "TAXGOV_PII_FINGERPRINT_KEY": secrets.token_urlsafe(32),
        "TAXGOV_AUDIT_CHAIN_KEY": secrets.token_urlsafe(32),
        "TAXGOV_OIDC_PAIRWISE_KEY": secrets.token_urlsafe(32),
        "TAXGOV_FEDERAL_OIDC_ISSUER": "https://login.tax.example",
        "TAXGOV_FEDERAL_OIDC_PRIVATE_KEY": relying_party_key(),
        "TAXGOV_ALLOWED_HOSTS": "tax.example",
        "TAXGOV_SMS_GATEWAY": "twilio",
        "TAXGOV_TWILIO_ACCOUNT_SID": "AC0000",
        "TAXGOV_TWILIO_AUTH_TOKEN": "token",
        "TAXGOV_POSTAL_GATEWAY": "lob",
        "TAXGOV_LOB_API_KEY": "live_key",
        "TAXGOV_LETTER_RETURN_ADDRESS": json.dumps(
            {
                "name": "Agency",
                "line1": "1 Main St",
                "line2": "",
                "city": "Boston",
                "state": "MA",
                "postal_code": "02108",
            }
        ),
        # The rate table's coverage of today's quarter depends on the date; tests/unit/ledger checks it.
        "TAXGOV_SILENCED_CHECKS": "taxgov.W101",
    }


def check(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            f"--settings=config.settings.{current_deployable()}",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks(tmp_path: Path):
    result = check(production_environment(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "missing", ["TAXGOV_SECRET_KEY", "TAXGOV_PII_KEYS", "TAXGOV_PII_FINGERPRINT_KEY", "TAXGOV_AUDIT_CHAIN_KEY"]
)
def test_production_refuses_to_start_without_a_secret(tmp_path: Path, missing: str):
    environment = production_environment(tmp_path)
    del environment[missing]
    result = check(environment)
    assert result.returncode != 0
    assert missing.removeprefix("TAXGOV_") in result.stderr
    assert not (tmp_path / "secrets").exists()


OWN_SECRETS = {
    "identity": ["TAXGOV_OIDC_PAIRWISE_KEY"],
    "federal": ["TAXGOV_FEDERAL_OIDC_PRIVATE_KEY", "TAXGOV_FEDERAL_OIDC_ISSUER"],
    "state": [],
}


@pytest.mark.parametrize("missing", OWN_SECRETS[current_deployable()] or [pytest.param("", marks=pytest.mark.skip)])
def test_production_refuses_to_start_without_its_own_keys(tmp_path: Path, missing: str):
    """The identity provider's pairwise key; the federal account's provider and its key."""
    environment = production_environment(tmp_path)
    del environment[missing]
    result = check(environment)
    assert result.returncode != 0
    assert missing.removeprefix("TAXGOV_") in result.stderr
    assert not (tmp_path / "secrets").exists()


def test_production_refuses_the_development_outbox_for_texts(tmp_path: Path):
    environment = production_environment(tmp_path)
    environment["TAXGOV_SMS_GATEWAY"] = "outbox"
    result = check(environment)
    assert result.returncode != 0
    assert "taxgov.E003" in result.stderr


def test_production_refuses_the_development_outbox_for_letters(tmp_path: Path):
    environment = production_environment(tmp_path)
    environment["TAXGOV_POSTAL_GATEWAY"] = "outbox"
    result = check(environment)
    assert result.returncode != 0
    assert "taxgov.E006" in result.stderr


def test_production_has_no_development_tools(tmp_path: Path):
    """The dev outbox, the component gallery and the "Populate" helper for security codes
    exist only with TAXGOV_DEV_TOOLS, which is off in production and refused if turned on."""
    environment = production_environment(tmp_path)
    shown = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(settings.TAXGOV_DEV_TOOLS, settings.DEBUG)",
            f"--settings=config.settings.{current_deployable()}",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert shown.stdout.split() == ["False", "False"], shown.stderr
    environment["TAXGOV_DEV_TOOLS"] = "true"
    result = check(environment)
    assert result.returncode != 0
    assert "taxgov.E007" in result.stderr
