"""The identity integration tests' fixtures that the fuzzing asks for by name: a signing key
and two registered agencies, a person with a verified identity, their synthetic records, and
delivering what a request sends. None is autouse, so the other tests here are unchanged."""

from tests.integration.identity.oidc.conftest import federal, person, signing_key, state_agency, verified  # noqa: F401
from tests.integration.identity.test_accounts import send  # noqa: F401
from tests.integration.identity.verification.conftest import records  # noqa: F401
