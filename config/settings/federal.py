"""Settings for the `federal` deployable."""

from config import env
from config.settings.base import *  # noqa: F403
from config.settings.base import COMMON_APPS, deployable_settings

globals().update(deployable_settings("federal"))

INSTALLED_APPS = [
    *COMMON_APPS,
    "taxgov.ledger",
    "taxgov.federal.accounts",
    "taxgov.federal.home",
]
ROOT_URLCONF = "config.urls.federal"
TAXGOV_LEDGER_AGENCY = "federal"
AUTH_USER_MODEL = "federal_accounts.User"

TAXGOV_BRAND = {
    "agency_name": env.get("federal", "AGENCY_NAME", "Federal Revenue Service"),
    "product_name": env.get("federal", "PRODUCT_NAME", "Online Account"),
    "tagline": env.get("federal", "TAGLINE", "Your federal tax account"),
}
