"""Test overlay: the deployable named by TAXGOV_DEPLOYABLE, made fast and hermetic.

pytest runs once per deployable (see the Makefile); the e2e harness starts each
deployable's server with this module too, pointing TAXGOV_DATABASE_URL at a temporary
database.
"""

import importlib
import os

from config import env
from config.settings.base import *  # noqa: F403  (names only; the deployable's values replace them)

os.environ.setdefault("TAXGOV_ENV", "test")
DEPLOYABLE = os.environ.get("TAXGOV_DEPLOYABLE", "identity")
if DEPLOYABLE not in env.DEPLOYABLES:
    raise RuntimeError(f"TAXGOV_DEPLOYABLE must be one of {env.DEPLOYABLES}")

_deployable = importlib.import_module(f"config.settings.{DEPLOYABLE}")
globals().update({name: value for name, value in vars(_deployable).items() if name.isupper()})

TAXGOV_ENV = "test"
SECRET_KEY = f"test-only-secret-key-{DEPLOYABLE}-not-for-production-use-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TAXGOV_PII_KEYS = (
    "test2:dGVzdC1rZXktdHdvLTMyLWJ5dGVzLWxvbmctMTIzNDU=,test1:dGVzdC1rZXktb25lLTMyLWJ5dGVzLWxvbmctMTIzNDU="
)
TAXGOV_PII_FINGERPRINT_KEY = "test-fingerprint-key"
TAXGOV_AUDIT_CHAIN_KEY = "test-audit-chain-key"
TAXGOV_DEMO_MODE = True
TAXGOV_DEV_TOOLS = True
TAXGOV_SMS_GATEWAY = "outbox"
TAXGOV_POSTAL_GATEWAY = "outbox"
EMAIL_BACKEND = "taxgov.common.messaging.outbox.OutboxEmailBackend"
# CI sets TAXGOV_REDIS_URL to run the same tests on Redis; otherwise everything stays in memory.
_REDIS_URL = env.get(DEPLOYABLE, "REDIS_URL")
if _REDIS_URL:
    _PREFIX = f"test-{DEPLOYABLE}-{os.getpid()}"
    CACHES = {
        "default": {
            "BACKEND": "taxgov.common.outages.DegradingRedisCache",
            "LOCATION": _REDIS_URL,
            "KEY_PREFIX": _PREFIX,
        }
    }
    TAXGOV_RATE_LIMIT_STORAGE = _REDIS_URL
    TAXGOV_RATE_LIMIT_KEY_PREFIX = f"LIMITS:{_PREFIX}"  # a run's clear_all_counters() spares other runs
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"test-{DEPLOYABLE}"}}
    TAXGOV_RATE_LIMIT_STORAGE = "memory://"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tasks run inline, unless a fault test runs real workers (TAXGOV_EAGER_TASKS=false).
CELERY_TASK_ALWAYS_EAGER = env.get_bool(DEPLOYABLE, "EAGER_TASKS", default=True)
# Tests see what the code logs, unmasked, so a test can catch code that logs personal data (the
# PII guard itself is tested in tests/unit/common/test_observability.py).
LOGGING = {
    **_deployable.LOGGING,
    "handlers": {"console": {**_deployable.LOGGING["handlers"]["console"], "filters": ["context"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# The browser tests' servers see every user arrive from 127.0.0.1, as no real address would:
# the per-address limits are raised there (per-account limits stay as configured).
if env.get_bool(DEPLOYABLE, "ONE_ADDRESS_FOR_ALL_USERS", default=False):
    TAXGOV_RATE_LIMITS = {
        name: ("10000/hour" if name.endswith(".ip") else limit)
        for name, limit in TAXGOV_RATE_LIMITS.items()  # noqa: F405
    }
