"""Settings every deployable shares: secure defaults, no deployable-specific names.

A deployable module (identity.py, federal.py, state.py) star-imports this module, then
calls ``deployable_settings(name)`` for everything that must differ between security
domains (database, cookies, secrets, queues) and adds its own apps and URLconf.
"""

from __future__ import annotations

import json
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import env

BASE_DIR = env.BASE_DIR
TAXGOV_ENV = env.mode()
PRODUCTION = TAXGOV_ENV == "production"
DEBUG = False

COMMON_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "taxgov.common.uswds",  # before django.forms: its widget templates win
    "django.forms",
    "csp",
    "taxgov.common.access",
    "taxgov.common.audit",
    "taxgov.common.demo",
    "taxgov.common.messaging",
    "taxgov.common.observability",
    "taxgov.common.security",
]

MIDDLEWARE = [
    # First, so every answer (HTTPS redirects and static files too) has a request id, a log line
    # and its metrics.
    "taxgov.common.observability.middleware.RequestObservabilityMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # CSP before WhiteNoise, so static files get the policy and its nonce too.
    "csp.middleware.CSPMiddleware",
    "taxgov.common.security.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view (or the CSRF check) reads the body; after the session, language and user,
    # which the page that refuses it shows.
    "taxgov.common.security.middleware.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "taxgov.common.security.idle.IdleTimeoutMiddleware",
    "taxgov.common.access.middleware.AccessRuleMiddleware",
]

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "taxgov.common.uswds.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "taxgov.common.uswds.forms.UswdsFormRenderer"
FORMAT_MODULE_PATH = ["config.formats"]

WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Internationalisation: English and Spanish on every page.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "America/New_York"
USE_TZ = True

# Static files: USWDS's compiled assets straight from the npm package, served by WhiteNoise.
STATIC_URL = "/static/"
_USWDS_DIST = BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"
STATICFILES_DIRS = [(f"uswds/{part}", _USWDS_DIST / part) for part in ("css", "js", "fonts", "img")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600

# Passwords: Argon2id first; the identity-account issue tunes its parameters.
PASSWORD_HASHERS = [
    "taxgov.common.security.hashers.TunedArgon2PasswordHasher",  # verifies every Argon2 hash
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Security headers and cookies. Production adds HSTS and Secure cookies (deployable_settings).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
# In the database alone: a Redis outage can neither break sessions nor, by a missed cache
# delete, bring back a signed-out one (ADR 0035).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"  # no shared "messages" cookie
CSRF_FAILURE_VIEW = "taxgov.common.uswds.views.csrf_failure"

# Every script needs this response's nonce; nothing else may run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
TAXGOV_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# The largest request body taken (RequestSizeLimitMiddleware): two 10 MB photos of an ID and
# the form around them. Past it, a 413 page; nothing is read.
TAXGOV_MAX_REQUEST_BYTES = 21 * 1024 * 1024

# Probes and scrapers speak plain HTTP to the process itself (ADR 0032).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# When several processes serve one deployable (gunicorn), each writes its metrics to this folder.
TAXGOV_METRICS_MULTIPROC_DIR = env.metrics_multiprocess_dir()

# Named rate limits (taxgov.common.ratelimit); several windows separated by ";".
TAXGOV_RATE_LIMITS = {
    "dev.outbox.test_email": "5/minute;50/day",
    # Second-step codes: sending, per user; checking, per user.
    "mfa.send": "3/10 minutes;10/day",
    # Second-step tries: per account and address, and a ceiling per account.
    "mfa.verify": "5/10 minutes;20/day",
    "mfa.verify.account": "100/day",
}
# Argon2id cost (ADR 0014; bench/results/argon2.md): about 90 ms and 64 MiB per hash here.
TAXGOV_ARGON2 = {"time_cost": 3, "memory_cost_kib": 65536, "parallelism": 4}
# Signed-in sessions end after this long without a request, and after this long in all.
TAXGOV_IDLE_TIMEOUT = 30 * 60
TAXGOV_SESSION_MAX_AGE = 12 * 3600
TAXGOV_REAUTHENTICATION_WINDOW = 20 * 60
# The WebAuthn relying party id: the site's host name unless set (a parent domain, say).
TAXGOV_WEBAUTHN_RP_ID = ""
TAXGOV_ACCOUNT_RESET_WAIT_HOURS = 24
# Identity verification (identity only; defaults here so every deployable type-checks).
TAXGOV_IDV_FACE_MATCH_THRESHOLD = 0.6
TAXGOV_IDV_BIOMETRIC_RETENTION_HOURS = 24
TAXGOV_IDV_RECORDS_VENDOR = "synthetic"
TAXGOV_IDV_CHALLENGES = ["left", "right"]
TAXGOV_IDV_VIDEO: dict[str, int] = {}
TAXGOV_IDV_LETTER: dict[str, Any] = {}
TAXGOV_OIDC: dict[str, Any] = {}
TAXGOV_OIDC_CLIENT: dict[str, Any] = {}  # the federal relying party (config/settings/federal.py)
# One-time codes and trusted devices (taxgov.common.mfa).
TAXGOV_MFA = {"code_minutes": 10, "code_attempts": 5, "trusted_device_days": 30}

# Celery: durable queue; tasks are idempotent, acknowledged after they finish.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE


# Replaced by deployable_settings() (TAXGOV_BRAND by each deployable); the defaults here only
# tell type checkers what each setting holds.
TAXGOV_DEPLOYABLE = ""
LOGGING: dict[str, Any] = {}
CELERY_BROKER_URL = ""
CELERY_TASK_DEFAULT_QUEUE = ""
TAXGOV_METRICS_TOKEN = ""
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {}
TAXGOV_BRAND: dict[str, str | None] = {}
TAXGOV_PII_KEYS = ""
TAXGOV_PII_FINGERPRINT_KEY = ""
TAXGOV_AUDIT_CHAIN_KEY = ""
TAXGOV_RATE_LIMIT_STORAGE = "memory://"
TAXGOV_RATE_LIMIT_KEY_PREFIX = "LIMITS"
TAXGOV_DEMO_MODE = False
TAXGOV_DEV_TOOLS = False
TAXGOV_SMS_GATEWAY: str | None = None
TAXGOV_SMS_FROM = ""
TAXGOV_TWILIO_ACCOUNT_SID: str | None = None
TAXGOV_TWILIO_AUTH_TOKEN: str | None = None
TAXGOV_TWILIO_API_URL = ""
TAXGOV_POSTAL_GATEWAY: str | None = None
TAXGOV_LOB_API_KEY: str | None = None
TAXGOV_LOB_API_URL = ""
TAXGOV_LETTER_RETURN_ADDRESS: dict[str, str] = {}
TAXGOV_PUBLIC_URL = ""
TAXGOV_LEDGER_AGENCY = ""  # "federal" or "state" in a deployable that installs the ledger
# The state portal's (config/settings/state.py).
TAXGOV_STATE_REGISTRATION_REVIEW = "unverified"
TAXGOV_STATE_ACTIVATION_MAX_AGE = 7 * 24 * 3600
TAXGOV_STATE_PORTAL: dict[str, str] = {}
# The federal account's help contacts (config/settings/federal.py).
TAXGOV_FEDERAL_CONTACT: dict[str, str] = {}
TAXGOV_FEDERAL_PAYMENT_RAIL = "demo"
TAXGOV_FEDERAL_NACHA: dict[str, str] = {}


def _database(url: str) -> dict[str, Any]:
    """PostgreSQL as given. SQLite (development and the browser tests) takes its write lock when
    a transaction begins and waits for it, so concurrent writers queue instead of failing
    with "database is locked" when a read lock cannot be upgraded; WAL lets readers go on."""
    database: dict[str, Any] = {**dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)}
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["OPTIONS"] = {
            **database.get("OPTIONS", {}),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    return database


def logging_config(deployable: str, production: bool) -> dict[str, Any]:
    """To stdout: one JSON object per line in production, readable lines otherwise; every line
    with its request id, and personal data masked (taxgov/common/observability/logs.py)."""
    observability = "taxgov.common.observability.logs"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": f"{observability}.RequestContextFilter", "deployable": deployable},
            "pii": {"()": f"{observability}.PiiFilter"},
        },
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {"()": f"{observability}.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json" if production else "plain",
                "filters": ["context", "pii"],
            }
        },
        "root": {"handlers": ["console"], "level": "INFO"},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # runserver's own access lines: ours (taxgov.request) say more; its errors still show.
            "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        },
    }


def deployable_settings(deployable: str) -> dict[str, Any]:
    """The settings that keep the three deployables apart, read from the environment."""
    production = PRODUCTION
    data = env.data_dir()
    database_url = env.get(deployable, "DATABASE_URL") or f"sqlite:///{data / f'{deployable}.sqlite3'}"
    redis_url = env.get(deployable, "REDIS_URL")
    pii_keys = env.get(deployable, "PII_KEYS")
    if not pii_keys:
        if production:
            raise ImproperlyConfigured(
                f"Set TAXGOV_{deployable.upper()}_PII_KEYS (or TAXGOV_PII_KEYS): key_id:base64key,..."
            )
        pii_keys = f"dev1:{env.secret(deployable, 'PII_KEY')}"
    debug = env.get_bool(deployable, "DEBUG", default=not production)
    settings: dict[str, Any] = {
        "TAXGOV_DEPLOYABLE": deployable,
        "DEBUG": debug,
        "LOGGING": logging_config(deployable, production),
        # Lets a scraper off this host read /metrics (Authorization: Bearer ...); loopback needs none.
        "TAXGOV_METRICS_TOKEN": env.get(deployable, "METRICS_TOKEN", "") or "",
        "SECRET_KEY": env.secret(deployable, "SECRET_KEY", nbytes=48),
        "ALLOWED_HOSTS": env.get_list(deployable, "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"]),
        "DATABASES": {"default": _database(database_url)},
        # All three deployables share "localhost" in development: every cookie is named per deployable.
        "SESSION_COOKIE_NAME": f"taxgov_{deployable}_session",
        "CSRF_COOKIE_NAME": f"taxgov_{deployable}_csrftoken",
        "LANGUAGE_COOKIE_NAME": f"taxgov_{deployable}_language",
        "SESSION_COOKIE_SECURE": production,
        "CSRF_COOKIE_SECURE": production,
        "LANGUAGE_COOKIE_SECURE": production,
        "SECURE_SSL_REDIRECT": production and env.get_bool(deployable, "SSL_REDIRECT", default=True),
        "SECURE_HSTS_SECONDS": 63072000 if production else 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": production,
        "SECURE_HSTS_PRELOAD": production,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https") if production else None,
        "CSRF_TRUSTED_ORIGINS": env.get_list(deployable, "CSRF_TRUSTED_ORIGINS", []),
        # An operator who has acknowledged a warning (e.g. taxgov.W101) can silence it by id.
        "SILENCED_SYSTEM_CHECKS": env.get_list(deployable, "SILENCED_CHECKS", []),
        "CACHES": {
            "default": (
                {
                    # An unreachable Redis reads as an empty cache (ADR 0035).
                    "BACKEND": "taxgov.common.outages.DegradingRedisCache",
                    "LOCATION": redis_url,
                    "KEY_PREFIX": deployable,
                    # A Redis that stops answering fails requests (and /readyz) in seconds, not never.
                    "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
                }
                if redis_url
                else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": deployable}
            )
        },
        "STATIC_ROOT": data / "static" / deployable,
        "TAXGOV_PII_KEYS": pii_keys,
        "TAXGOV_PII_FINGERPRINT_KEY": env.secret(deployable, "PII_FINGERPRINT_KEY"),
        "TAXGOV_AUDIT_CHAIN_KEY": env.secret(deployable, "AUDIT_CHAIN_KEY"),
        "TAXGOV_RATE_LIMIT_STORAGE": redis_url or "memory://",
        "TAXGOV_RATE_LIMIT_KEY_PREFIX": f"LIMITS:{deployable}",
        "TAXGOV_DEMO_MODE": env.get_bool(deployable, "DEMO_MODE", default=not production),
        "TAXGOV_DEV_TOOLS": env.get_bool(deployable, "DEV_TOOLS", default=not production),
        "TAXGOV_SMS_GATEWAY": env.get(deployable, "SMS_GATEWAY", "outbox" if not production else None),
        "TAXGOV_SMS_FROM": env.get(deployable, "SMS_FROM", "+15555550100"),
        "TAXGOV_TWILIO_ACCOUNT_SID": env.get(deployable, "TWILIO_ACCOUNT_SID"),
        "TAXGOV_TWILIO_AUTH_TOKEN": env.get(deployable, "TWILIO_AUTH_TOKEN"),
        "TAXGOV_TWILIO_API_URL": env.get(deployable, "TWILIO_API_URL", "https://api.twilio.com"),
        "TAXGOV_POSTAL_GATEWAY": env.get(deployable, "POSTAL_GATEWAY", "outbox" if not production else None),
        "TAXGOV_LOB_API_KEY": env.get(deployable, "LOB_API_KEY"),
        "TAXGOV_LOB_API_URL": env.get(deployable, "LOB_API_URL", "https://api.lob.com"),
        "TAXGOV_LETTER_RETURN_ADDRESS": json.loads(env.get(deployable, "LETTER_RETURN_ADDRESS", "{}") or "{}"),
        "TAXGOV_PUBLIC_URL": env.get(deployable, "PUBLIC_URL", ""),
        "EMAIL_BACKEND": (
            "django.core.mail.backends.smtp.EmailBackend"
            if env.get(deployable, "EMAIL_HOST") or production
            else "taxgov.common.messaging.outbox.OutboxEmailBackend"
        ),
        "EMAIL_HOST": env.get(deployable, "EMAIL_HOST", "localhost"),
        "EMAIL_PORT": int(env.get(deployable, "EMAIL_PORT", "25") or 25),
        "EMAIL_HOST_USER": env.get(deployable, "EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": env.get(deployable, "EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": env.get_bool(deployable, "EMAIL_USE_TLS", default=False),
        "EMAIL_USE_SSL": env.get_bool(deployable, "EMAIL_USE_SSL", default=False),
        "EMAIL_TIMEOUT": 30,
        "DEFAULT_FROM_EMAIL": env.get(deployable, "FROM_EMAIL", f"no-reply@{deployable}.taxgov.example"),
        "SERVER_EMAIL": env.get(deployable, "SERVER_EMAIL", f"errors@{deployable}.taxgov.example"),
        "CELERY_BROKER_URL": env.get(deployable, "BROKER_URL")
        or redis_url
        or f"sqla+sqlite:///{data / f'{deployable}-tasks.sqlite3'}",
        "CELERY_TASK_DEFAULT_QUEUE": deployable,
        "CELERY_BEAT_SCHEDULE": {
            "verify-audit-chain": {
                "task": "taxgov.common.audit.tasks.verify_audit_chain",
                "schedule": float(env.get(deployable, "AUDIT_CHECK_SECONDS", "60" if not production else "3600") or 60),
            },
            "verify-whole-audit-chain": {
                "task": "taxgov.common.audit.tasks.verify_audit_chain",
                "schedule": 86400.0,
                "kwargs": {"full": True},
            },
            "clear-expired-sessions": {
                "task": "taxgov.common.security.tasks.clear_expired_sessions",
                "schedule": 86400.0,
            },
        },
    }
    return settings
