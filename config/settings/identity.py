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
