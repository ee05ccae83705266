"""Settings for the `identity` deployable."""

from config import env
from config.settings.base import *  # noqa: F403
from config.settings.base import COMMON_APPS, deployable_settings

globals().update(deployable_settings("identity"))

INSTALLED_APPS = [
    *COMMON_APPS,
    "taxgov.common.mfa",
    "taxgov.identity.accounts",
    "taxgov.identity.home",
    "taxgov.identity.records",
]
ROOT_URLCONF = "config.urls.identity"
AUTH_USER_MODEL = "identity_accounts.User"

TAXGOV_BRAND = {
    "agency_name": env.get("identity", "AGENCY_NAME", "VerifyID"),
    "product_name": env.get("identity", "PRODUCT_NAME", "VerifyID"),
    "tagline": env.get("identity", "TAGLINE", "One secure account for government services"),
}

# NIST SP 800-63B passwords: long, no composition rules, not breached, not guessable from
# context. The minimum is configurable (never below 8); at least 64 characters are allowed.
TAXGOV_PASSWORD_MIN_LENGTH = max(8, int(env.get("identity", "PASSWORD_MIN_LENGTH", "12") or 12))
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "taxgov.common.passwords.LengthRangeValidator",
        "OPTIONS": {"min_length": TAXGOV_PASSWORD_MIN_LENGTH, "max_length": 128},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "taxgov.common.passwords.BreachedPasswordValidator"},
    {"NAME": "taxgov.common.passwords.ContextWordsValidator"},
    {"NAME": "taxgov.common.passwords.RepetitionValidator"},
]
