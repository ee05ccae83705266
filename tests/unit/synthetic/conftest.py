"""One population and one sample of it, shared by the synthetic-population tests."""

from __future__ import annotations

import pytest

from taxgov.synthetic.people import Person
from taxgov.synthetic.population import Population

SAMPLE_SIZE = 20_000


@pytest.fixture(scope="session")
def population() -> Population:
    return Population()


@pytest.fixture(scope="session")
def sample(population: Population) -> list[Person]:
    return list(population.people(0, SAMPLE_SIZE))
