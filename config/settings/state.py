"""Settings for the `state` deployable."""

from django.core.exceptions import ImproperlyConfigured

from config import env
from config.settings.base import *  # noqa: F403
from config.settings.base import COMMON_APPS, deployable_settings
from config.settings.base import TEMPLATES as BASE_TEMPLATES

globals().update(deployable_settings("state"))


def _setting(name: str, default: str) -> str:
    return env.get("state", name, default) or default


INSTALLED_APPS = [
    *COMMON_APPS,
    "taxgov.ledger",
    "taxgov.common.mfa",
    "taxgov.state.accounts",
    "taxgov.state.home",
    "taxgov.state.registration",
    "taxgov.state.signin",
    "taxgov.state.portal",
    "taxgov.state.payments",
    "taxgov.state.delegation",
]
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,  # noqa: F405
    "post-due-payments": {"task": "taxgov.state.payments.tasks.post_due_payments", "schedule": 3600.0},
    "delete-stale-registration-drafts": {
        "task": "taxgov.state.registration.tasks.delete_stale_drafts",
        "schedule": 3600.0,
    },
}
LOGIN_URL = "/log-in/"
# A reset link lasts two hours: with five secret-answer tries an hour, ten guesses at most.
PASSWORD_RESET_TIMEOUT = 2 * 3600
ROOT_URLCONF = "config.urls.state"
TAXGOV_LEDGER_AGENCY = "state"
AUTH_USER_MODEL = "state_accounts.User"

TAXGOV_BRAND = {
    "agency_name": _setting("AGENCY_NAME", "Commonwealth Department of Revenue"),
    "product_name": _setting("PRODUCT_NAME", "TaxConnect"),
    "tagline": _setting("TAGLINE", "File, pay and manage your state taxes"),
}

# The agency's password rules for portal logons (seed 001), plus the common-password list.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "taxgov.common.passwords.LengthRangeValidator", "OPTIONS": {"min_length": 8, "max_length": 15}},
    {"NAME": "taxgov.common.passwords.CharacterClassesValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "email", "full_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# "unverified": a Create My Logon request that proved a past filing is approved at once and
# the three Register paths wait for staff; "always" or "never" review.


TAXGOV_STATE_REGISTRATION_REVIEW = _setting("REGISTRATION_REVIEW", "unverified")
if TAXGOV_STATE_REGISTRATION_REVIEW not in ("unverified", "always", "never"):
    raise ImproperlyConfigured("TAXGOV_STATE_REGISTRATION_REVIEW is unverified, always or never.")
TAXGOV_STATE_ACTIVATION_MAX_AGE = int(_setting("ACTIVATION_DAYS", "7")) * 24 * 3600

# What the pages say about the agency; fictional by default (555 numbers are never assigned).
TAXGOV_STATE_PORTAL = {
    "phone": _setting("CONTACT_PHONE", "(617) 555-0146"),
    "toll_free": _setting("CONTACT_TOLL_FREE", "(800) 555-0189"),
    "hours": _setting("CONTACT_HOURS", "Monday through Friday, 9:00 a.m. to 4:00 p.m."),
    "faq_url": _setting("FAQ_URL", "/help/faq/"),
    "videos_url": _setting("VIDEOS_URL", "/help/videos/"),
    "announcement": _setting(
        "ANNOUNCEMENT",
        "Due dates for some business taxpayers have been extended. These changes are not yet shown in your accounts.",
    ),
}

TAXGOV_RATE_LIMITS = {
    **TAXGOV_RATE_LIMITS,  # noqa: F405
    # Proof of a past filing (Create My Logon): per address and per taxpayer ID tried.
    "state.registration.verify.ip": "10/hour;30/day",
    "state.registration.verify.tin": "5/hour;10/day",
    # Checking a new taxpayer's ID is not on file already (Register paths).
    "state.registration.new_id": "20/hour",
    # Choosing a username (whether one is taken is visible there).
    "state.registration.username": "30/hour",
    # Log in: five wrong passwords lock a username for 30 minutes; addresses are limited too.
    "state.signin.user": "5/30 minutes",
    "state.signin.ip": "60/hour;300/day",
    "state.signin.recover": "10/hour",
    "state.signin.secret_answer": "5/hour;10/day",
    # A tax professional asking clients for access.
    "state.clients.request": "10/hour;30/day",
}

TEMPLATES = [
    {
        **BASE_TEMPLATES[0],
        "OPTIONS": {
            **BASE_TEMPLATES[0]["OPTIONS"],
            "context_processors": [
                *BASE_TEMPLATES[0]["OPTIONS"]["context_processors"],
                "taxgov.state.home.context_processors.portal",
            ],
        },
    }
]
