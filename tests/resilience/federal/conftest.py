"""The federal integration tests' fixtures that the fuzzing asks for by name: the population,
the personas in the ledger, signing in, Chris acting for the bakery, a provider played on
loopback. None is autouse, so the other tests here are unchanged."""

from tests.integration.federal.conftest import acting_for_bakery, personas, population, sign_in  # noqa: F401
from tests.integration.federal.signin.test_relying_party import fake_provider  # noqa: F401
