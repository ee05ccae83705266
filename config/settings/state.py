"""Settings for the `state` deployable."""

from config import env
from config.settings.base import *  # noqa: F403
from config.settings.base import COMMON_APPS, deployable_settings

globals().update(deployable_settings("state"))

INSTALLED_APPS = [
    *COMMON_APPS,
    "taxgov.ledger",
    "taxgov.state.accounts",
    "taxgov.state.home",
]
ROOT_URLCONF = "config.urls.state"
TAXGOV_LEDGER_AGENCY = "state"
AUTH_USER_MODEL = "state_accounts.User"

TAXGOV_BRAND = {
    "agency_name": env.get("state", "AGENCY_NAME", "Commonwealth Department of Revenue"),
    "product_name": env.get("state", "PRODUCT_NAME", "TaxConnect"),
    "tagline": env.get("state", "TAGLINE", "File, pay and manage your state taxes"),
}
