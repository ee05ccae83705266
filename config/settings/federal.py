"""Settings for the `federal` deployable."""

from csp.constants import SELF
from django.core.exceptions import ImproperlyConfigured

from config import env
from config.settings.base import *  # noqa: F403
from config.settings.base import COMMON_APPS, deployable_settings

globals().update(deployable_settings("federal"))

INSTALLED_APPS = [
    *COMMON_APPS,
    "taxgov.ledger",
    "taxgov.federal.accounts",
    "taxgov.federal.signin",
    "taxgov.federal.home",
    "taxgov.federal.profile",
    "taxgov.federal.balances",
    "taxgov.federal.payments",
    "taxgov.federal.plans",
    "taxgov.federal.offers",
    "taxgov.federal.records",
    "taxgov.federal.notices",
    "taxgov.federal.forms",
    "taxgov.federal.authorizations",
    "taxgov.federal.business",
]
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,  # noqa: F405
    "settle-payments": {"task": "taxgov.federal.payments.tasks.settle_payments", "schedule": 3600.0},
    "announce-notices": {"task": "taxgov.federal.notices.tasks.announce_new_notices", "schedule": 86400.0},
    "process-forms": {"task": "taxgov.federal.forms.tasks.process_forms", "schedule": 900.0},
    "run-payment-plans": {"task": "taxgov.federal.plans.tasks.run_payment_plans", "schedule": 86400.0},
}
# The bank rail payments go through (taxgov/federal/payments/rail.py): "demo" plays the banks;
# "nacha" leaves NACHA files of debits for the financial agent and reads the ODFI's return
# files (ADR 0028), with the folders and the identifiers the financial agent assigns.
TAXGOV_FEDERAL_PAYMENT_RAIL = env.get("federal", "PAYMENT_RAIL") or "demo"
TAXGOV_FEDERAL_NACHA = {
    name.lower(): env.get("federal", f"NACHA_{name}") or default
    for name, default in (
        ("OUTBOX", ""),  # the folder the financial agent's transfer takes *.ach files from
        ("INBOX", ""),  # the folder the ODFI's return files arrive in
        ("IMMEDIATE_DESTINATION", ""),  # file header: a 9-digit routing number or 10 characters
        ("IMMEDIATE_DESTINATION_NAME", ""),
        ("IMMEDIATE_ORIGIN", ""),  # file header: a 9-digit routing number or 10 characters
        ("COMPANY_ID", ""),  # batch header: up to 10 characters
        ("COMPANY_NAME", ""),  # batch header: up to 16 characters
        ("ODFI_ROUTING", ""),  # the originating bank's routing number: starts every trace number
        ("ENTRY_DESCRIPTION", "TAX PYMT"),  # shown on the taxpayer's bank statement
    )
}
if TAXGOV_FEDERAL_PAYMENT_RAIL == "nacha" and (
    _NACHA_MISSING := [
        f"TAXGOV_FEDERAL_NACHA_{name.upper()}"
        for name, value in TAXGOV_FEDERAL_NACHA.items()
        if not value and name != "immediate_destination_name"
    ]
):
    raise ImproperlyConfigured(f"The nacha payment rail needs {', '.join(_NACHA_MISSING)}.")
ROOT_URLCONF = "config.urls.federal"
TAXGOV_LEDGER_AGENCY = "federal"
AUTH_USER_MODEL = "federal_accounts.User"
LOGIN_URL = "/sign-in/"
LOGIN_REDIRECT_URL = "/account/"

TAXGOV_BRAND = {
    "agency_name": env.get("federal", "AGENCY_NAME", "Federal Revenue Service"),
    "product_name": env.get("federal", "PRODUCT_NAME", "Online Account"),
    "tagline": env.get("federal", "TAGLINE", "Your federal tax account"),
}

# Where the pages send people for help (the no-match page); fictional by default (555 numbers are never assigned).
TAXGOV_FEDERAL_CONTACT = {
    name.lower(): env.get("federal", f"CONTACT_{name}") or default
    for name, default in (
        ("PHONE", "(800) 555-0123"),
        ("HOURS", "Monday through Friday, 7:00 a.m. to 7:00 p.m. local time"),
        ("MAIL", "Federal Revenue Service, Taxpayer Records, P.O. Box 1040, Washington, DC 20000"),
    )
}

TAXGOV_RATE_LIMITS = {
    **TAXGOV_RATE_LIMITS,  # noqa: F405
    # Create your profile: matching the verified identity to a taxpayer, per user and per address.
    "federal.profile.match.user": "5/hour;10/day",
    "federal.profile.match.ip": "30/hour;100/day",
    # Authorization and income verification requests a professional sends, per user.
    "federal.authorizations.send": "20/hour;100/day",
    # Registering or revalidating as a business's Designated Official (answers compared with its
    # records), per user and per address; naming who may act for a business, per official.
    "federal.business.answers.user": "5/hour;10/day",
    "federal.business.answers.ip": "30/hour;100/day",
    "federal.business.grant.user": "10/hour;30/day",
}

# The identity provider people sign in with (OpenID Connect, code + PKCE + private_key_jwt;
# ADR 0020). Any compliant provider works: set its issuer, our client id there, and the
# acr values it uses (Login.gov's, for example). The private key stays here; the provider
# holds the public half (``manage.py oidc_client_jwks``).
TAXGOV_OIDC_CLIENT = {
    "issuer": env.required("federal", "OIDC_ISSUER", development="http://localhost:8000"),
    "client_id": env.get("federal", "OIDC_CLIENT_ID", "urn:gov:taxgov:federal:online-account"),
    "private_key": env.private_key("federal", "OIDC_PRIVATE_KEY"),
    "scopes": ["openid", "email", "profile", "address", "social_security_number", "profile:verified_at"],
    "acr_verified": env.get("federal", "OIDC_ACR_VERIFIED", "urn:acr.taxgov.example:verified"),
    "http_timeout": 10,
}

# Signing out posts here and ends at the provider's logout page: forms may lead there too.
CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY,  # noqa: F405
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],  # noqa: F405
        "form-action": [SELF, TAXGOV_OIDC_CLIENT["issuer"]],
    },
}
