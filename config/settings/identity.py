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
    "taxgov.identity.verification",
    "taxgov.identity.videocall",
    "taxgov.identity.oidc",
    "taxgov.identity.signup",
    "taxgov.identity.signin",
]
LOGIN_URL = "/sign-in/"
# Innermost, so the CSP middleware sees what it adds (taxgov/identity/oidc/middleware.py).
MIDDLEWARE = [*MIDDLEWARE, "taxgov.identity.oidc.middleware.ClientOriginsMiddleware"]  # noqa: F405
# NIST SP 800-63B AAL2 with the anchors' numbers: 15 minutes idle, 12 hours in all, and a
# password again within 20 minutes before changing how one signs in.
TAXGOV_IDLE_TIMEOUT = 15 * 60
TAXGOV_REAUTHENTICATION_WINDOW = 20 * 60
PASSWORD_RESET_TIMEOUT = 2 * 3600
# Lost every second step: how long the owner has to cancel a reset (Login.gov waits a day).
TAXGOV_ACCOUNT_RESET_WAIT_HOURS = int(env.get("identity", "ACCOUNT_RESET_WAIT_HOURS", "24") or 24)
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,  # noqa: F405
    "delete-expired-biometrics": {
        "task": "taxgov.identity.verification.tasks.delete_expired_biometrics",
        "schedule": 3600.0,
    },
    "expire-video-calls": {
        "task": "taxgov.identity.videocall.tasks.expire_video_calls",
        "schedule": 60.0,
    },
    "send-ready-account-resets": {
        "task": "taxgov.identity.accounts.tasks.send_ready_account_resets",
        "schedule": 600.0,
    },
    "forget-expired-client-assertions": {
        "task": "taxgov.identity.oidc.tasks.forget_expired_assertions",
        "schedule": 3600.0,
    },
}
ROOT_URLCONF = "config.urls.identity"
AUTH_USER_MODEL = "identity_accounts.User"

TAXGOV_BRAND = {
    "agency_name": env.get("identity", "AGENCY_NAME", "VerifyID"),
    "product_name": env.get("identity", "PRODUCT_NAME", "VerifyID"),
    "tagline": env.get("identity", "TAGLINE", "One secure account for government services"),
    "support_phone": env.get("identity", "SUPPORT_PHONE", "1-800-555-0134"),
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

TAXGOV_RATE_LIMITS = {
    **TAXGOV_RATE_LIMITS,  # noqa: F405
    "identity.signup.ip": "20/hour",
    "identity.signup.email": "5/hour",
    "identity.signup.confirm": "10/hour",
    # Consecutive failures per account (cleared by a success): 10 in 5 minutes, and never
    # more than 100 in a row (NIST SP 800-63B §5.2.2); and per address.
    "identity.signin.account": "10/5 minutes;100/30 days",
    "identity.signin.ip": "60/hour;300/day",
    "identity.password_reset": "5/hour;20/day",
    "identity.email.add": "10/day",
    "identity.account_reset": "3/day",
}

# Identity verification (IAL2). The face-match threshold is dlib's distance below which two
# faces are one person (docs/idv.md has the measured error rates); photos, selfies and video
# are deleted this many hours after the decision unless a fraud hold keeps them.
TAXGOV_IDV_FACE_MATCH_THRESHOLD = float(env.get("identity", "IDV_FACE_MATCH_THRESHOLD", "0.6") or 0.6)
# The liveness challenges the server picks from at random.
TAXGOV_IDV_CHALLENGES = (env.get("identity", "IDV_CHALLENGES", "left,right") or "left,right").split(",")
TAXGOV_IDV_BIOMETRIC_RETENTION_HOURS = int(env.get("identity", "IDV_BIOMETRIC_RETENTION_HOURS", "24") or 24)
# Video calls with an agent: appointment times (agency time), how early one may book, and
# the guess of a call's length until real calls have been measured.
TAXGOV_IDV_VIDEO = {
    "slot_minutes": int(env.get("identity", "IDV_VIDEO_SLOT_MINUTES", "30") or 30),
    "seats_per_slot": int(env.get("identity", "IDV_VIDEO_SEATS_PER_SLOT", "2") or 2),
    "opening_hour": int(env.get("identity", "IDV_VIDEO_OPENING_HOUR", "8") or 8),
    "closing_hour": int(env.get("identity", "IDV_VIDEO_CLOSING_HOUR", "20") or 20),
    "days_ahead": 7,
    "earliest_hours": 2,
    "check_in_early_minutes": 15,
    "join_minutes": 10,
    "default_handling_minutes": int(env.get("identity", "IDV_VIDEO_DEFAULT_HANDLING_MINUTES", "12") or 12),
}
# Verify by mail: how long a letter's code works (NIST SP 800-63A-4 and Login.gov: 21 days in
# the contiguous United States, 30 elsewhere) and how many letters one case may ask for.
TAXGOV_IDV_LETTER = {
    "valid_days": int(env.get("identity", "IDV_LETTER_VALID_DAYS", "21") or 21),
    "valid_days_far": int(env.get("identity", "IDV_LETTER_VALID_DAYS_FAR", "30") or 30),
    "letters_per_30_days": 4,
    "hours_between_letters": 24,
}
# The OpenID Connect provider (ADR 0019). Lifetimes: a code must be redeemed within a minute
# or two (RFC 6749 recommends at most 10), ID and access tokens live as long as an idle
# session; a retired signing key stays published until the last ID token it signed expires.
TAXGOV_OIDC = {
    "issuer": env.get("identity", "OIDC_ISSUER", "") or "",  # empty: this server's own address
    "code_seconds": 120,
    "token_seconds": 15 * 60,
    "acr_auth_only": "urn:acr.taxgov.example:auth-only",
    "acr_verified": "urn:acr.taxgov.example:verified",
    # Keys the pairwise subjects: changing it gives every person a new ``sub`` at every agency.
    "pairwise_key": env.secret("identity", "OIDC_PAIRWISE_KEY"),
}
TAXGOV_RATE_LIMITS.update(
    {
        "identity.idv.document": "5/6 hours",
        "identity.idv.selfie": "5/6 hours",
        "identity.idv.records": "3/day",
        "identity.idv.phone": "5/day",
        "identity.idv.letter_code": "5/10 minutes",
        # WebRTC messages one side of one call may send (a call needs a few dozen).
        "identity.videocall.signal": "300/10 minutes",
    }
)
