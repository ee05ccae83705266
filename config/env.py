"""Every value taken from the environment is read here, and nowhere else.

A setting NAME for deployable D is read from ``TAXGOV_D_NAME`` first, then ``TAXGOV_NAME``,
so one shell can configure all three deployables (``make run``) or a host can run one.
In development, secrets missing from the environment are generated once into the data
folder; in production a missing secret stops the process at start-up.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DEPLOYABLES = ("identity", "federal", "state")
MODES = ("development", "production", "test")


def data_dir() -> Path:
    return Path(os.environ.get("TAXGOV_DATA_DIR", str(BASE_DIR / "data")))


def metrics_multiprocess_dir() -> str:
    """prometheus_client's own variable (not ``TAXGOV_``): set when several processes serve one
    deployable (gunicorn workers), whose metrics are then merged from this folder (ADR 0032)."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def mode() -> str:
    value = os.environ.get("TAXGOV_ENV", "development")
    if value not in MODES:
        raise ImproperlyConfigured(f"TAXGOV_ENV must be one of {', '.join(MODES)}, not {value!r}.")
    return value


def get(deployable: str, name: str, default: str | None = None) -> str | None:
    specific = os.environ.get(f"TAXGOV_{deployable.upper()}_{name}")
    if specific is not None:
        return specific
    return os.environ.get(f"TAXGOV_{name}", default)


def required(deployable: str, name: str, *, development: str) -> str:
    """A setting production must be given; ``development`` is the value in development and tests."""
    value = get(deployable, name)
    if value:
        return value
    if mode() == "production":
        raise ImproperlyConfigured(f"Set TAXGOV_{deployable.upper()}_{name} (or TAXGOV_{name}) in production.")
    return development


def get_bool(deployable: str, name: str, default: bool) -> bool:
    value = get(deployable, name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"TAXGOV_{name} must be true or false, not {value!r}.")


def get_list(deployable: str, name: str, default: list[str]) -> list[str]:
    value = get(deployable, name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def secret(deployable: str, name: str, *, nbytes: int = 32) -> str:
    """A secret from the environment; in development, one generated and kept in the data folder;
    in tests, a fixed one."""
    value = get(deployable, name)
    if value:
        return value
    if mode() == "test":
        return base64.urlsafe_b64encode(hashlib.sha256(f"test:{deployable}:{name}".encode()).digest()[:nbytes]).decode()
    if mode() == "production":
        raise ImproperlyConfigured(
            f"Set TAXGOV_{deployable.upper()}_{name} (or TAXGOV_{name}): production never uses generated secrets."
        )
    folder = data_dir() / "secrets"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{deployable}-{name.lower()}"
    if not path.exists():
        fresh = base64.urlsafe_b64encode(secrets.token_bytes(nbytes)).decode()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(fresh)
    return path.read_text().strip()


def private_key(deployable: str, name: str) -> str:
    """An RSA private key (PEM) from the environment; in development and tests, one generated
    once into the data folder (a relying party's key for ``private_key_jwt``)."""
    value = get(deployable, name)
    if value:
        return value
    if mode() == "production":
        raise ImproperlyConfigured(
            f"Set TAXGOV_{deployable.upper()}_{name} to a PEM private key: production never uses generated keys."
        )
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    folder = data_dir() / "secrets"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{deployable}-{name.lower()}.pem"
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return path.read_text()
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
    return path.read_text()
