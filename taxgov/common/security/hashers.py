"""Argon2id at the parameters chosen in ADR 0014 (RFC 9106's second recommended setting),
settable per deployment through ``TAXGOV_ARGON2`` without code changes. Hashes made with
other parameters still verify and are upgraded at the next sign-in (Django's
``must_update``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    def __init__(self) -> None:
        cost = settings.TAXGOV_ARGON2
        self.time_cost = int(cost["time_cost"])
        self.memory_cost = int(cost["memory_cost_kib"])
        self.parallelism = int(cost["parallelism"])
