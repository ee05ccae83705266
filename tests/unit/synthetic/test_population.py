"""The synthetic population (taxgov.synthetic.population): deterministic, realistic, collision-free."""

from __future__ import annotations

import ast
import collections
import datetime as dt
import itertools
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from taxgov.synthetic.people import BUSINESS_PROFILES, TAX_PROFILES
from taxgov.synthetic.population import (
    AS_OF,
    DEMO_PEOPLE,
    ITIN_CAPACITY,
    PEOPLE_PER_ITIN,
    Permutation,
    Population,
)

from .conftest import SAMPLE_SIZE

ROOT = Path(__file__).resolve().parents[3]
PHONE = re.compile(r"\+1[2-9]\d\d5550(1\d\d)")  # the fictional 555-0100..0199 block
EMAIL = re.compile(r"[a-z]+\.[a-z]+\+\d+@example\.(com|net|org)")


def _within(share: float, expected: float, n: int) -> bool:
    """Four standard deviations of a sample of ``n``, plus a little."""
    return abs(share - expected) <= 4 * math.sqrt(expected * (1 - expected) / n) + 0.002


# --- Determinism -------------------------------------------------------------------------------


def test_same_seed_gives_the_same_people_whatever_the_order():
    first, second = Population(7), Population(7)
    indexes = [5, 123, 999, 40_000, 1_000_000]

    forward = [first.person(i) for i in indexes]
    backward = [second.person(i) for i in reversed(indexes)]

    assert forward == backward[::-1]
    assert list(first.people(120, 126)) == [second.person(i) for i in range(120, 126)]


def test_same_seed_gives_the_same_businesses_and_estates():
    first, second = Population(7), Population(7)

    assert [first.business(j) for j in (3, 1, 2)] == [second.business(j) for j in (3, 1, 2)]
    assert [first.estate(k) for k in (2, 1)] == [second.estate(k) for k in (2, 1)]


def test_another_seed_gives_other_people():
    assert Population(1).person(50).tin != Population(2).person(50).tin
    assert Population(1).person(50) != Population(2).person(50)


def test_a_person_is_the_same_in_another_process(population):
    code = "from taxgov.synthetic.population import Population; print(repr(Population().person(123)))"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)

    assert result.stdout.strip() == repr(population.person(123))


# --- Identifiers -------------------------------------------------------------------------------


def test_tins_never_collide(population):
    tins = {population.tin(i)[0] for i in range(200_000)}

    assert len(tins) == 200_000


def test_a_persons_tin_is_the_one_derived_from_the_index(population, sample):
    assert all((p.tin, p.tin_type) == population.tin(p.index) for p in sample[:500])


@pytest.mark.parametrize("size", [1, 2, 1900, 10_007])
def test_permutation_is_a_bijection(size):
    permutation = Permutation(size, "test")

    assert sorted(permutation(i) for i in range(size)) == list(range(size))


def test_identifiers_come_from_never_issued_ranges(population, sample):
    for person in sample:
        area, group, serial = int(person.tin[:3]), int(person.tin[3:5]), person.tin[5:]
        assert 900 <= area <= 999
        if person.tin_type == "ssn":
            assert 1 <= group <= 49
            assert serial != "0000"
        else:
            assert person.tin_type == "itin"
            assert 70 <= group <= 88
            assert serial == "0000"
        assert all(PHONE.fullmatch(phone.number) for phone in person.phones), person.phones
        assert EMAIL.fullmatch(person.email), person.email
        assert f"+{person.index}@" in person.email
    eins = [population.business(j).ein for j in range(300)] + [population.estate(k).ein for k in range(30)]
    assert all(re.fullmatch(r"00\d{7}", ein) and ein != "000000000" for ein in eins)
    assert len(set(eins)) == len(eins)


def test_itin_holders_are_one_in_25_until_the_itin_numbers_run_out(population, sample):
    itins = [p.index for p in sample if p.tin_type == "itin"]

    assert len(itins) == SAMPLE_SIZE // PEOPLE_PER_ITIN
    last_block = ITIN_CAPACITY * PEOPLE_PER_ITIN
    assert {population.tin(i)[1] for i in range(last_block - 25, last_block)} == {"ssn", "itin"}
    assert {population.tin(i)[1] for i in range(last_block, last_block + 500)} == {"ssn"}


def test_phone_and_licence_numbers_are_unique_in_the_sample(sample):
    phones = [phone.number for p in sample for phone in p.phones]
    licences = [(p.driver_licence.state, p.driver_licence.number) for p in sample if p.driver_licence]

    assert len(set(phones)) == len(phones)
    assert len(set(licences)) == len(licences)
    ma = [number for state, number in licences if state == "MA"]
    assert all(re.fullmatch(r"S\d{8}", number) for number in ma)


def test_phone_numbers_are_reissued_after_the_block_runs_out_but_never_the_personas(population, sample):
    later = {phone.number for i in range(33_400, 33_420) for phone in population.person(i).phones}
    personas = {phone.number for p in sample[:9] for phone in p.phones}
    first_others = {phone.number for p in sample[9:30] for phone in p.phones}

    assert later.isdisjoint(personas)
    assert later & first_others


# --- Realism -----------------------------------------------------------------------------------


def test_tax_profiles_follow_their_weights(sample):
    counts = collections.Counter(p.tax_profile for p in sample)

    assert set(counts) == set(TAX_PROFILES)
    for profile, weight in TAX_PROFILES.items():
        assert _within(counts[profile] / SAMPLE_SIZE, weight, SAMPLE_SIZE), profile


def test_business_profiles_follow_their_weights(population):
    businesses = [population.business(j) for j in range(600)]
    owes = sum(b.tax_profile == "business_owes" for b in businesses) / len(businesses)

    assert {b.tax_profile for b in businesses} == set(BUSINESS_PROFILES)
    assert _within(owes, BUSINESS_PROFILES["business_owes"], len(businesses))


def test_most_people_live_in_massachusetts_and_can_be_verified(sample):
    def share(predicate) -> float:
        return sum(1 for p in sample if predicate(p)) / SAMPLE_SIZE

    assert 0.83 <= share(lambda p: p.current_address.state == "MA") <= 0.88
    assert 0.86 <= share(lambda p: p.driver_licence is not None) <= 0.90
    assert 0.88 <= share(lambda p: any(ph.kind == "mobile" and ph.in_own_name for ph in p.phones)) <= 0.92
    assert 0.02 <= share(lambda p: p.driver_licence is not None and p.driver_licence.expires_on < AS_OF) <= 0.08
    assert all(1 <= len(p.phones) <= 2 for p in sample)
    assert all(1 <= len(p.addresses) <= 4 for p in sample)


def test_ages_are_adult(sample):
    ages = [
        AS_OF.year - p.date_of_birth.year - ((AS_OF.month, AS_OF.day) < (p.date_of_birth.month, p.date_of_birth.day))
        for p in sample
    ]

    assert min(ages) == 18
    assert max(ages) == 90


def test_address_history_and_documents_hang_together(sample):
    for person in sample:
        last_day = person.date_of_death or AS_OF
        addresses = person.addresses
        for earlier, later in itertools.pairwise(addresses):
            assert earlier.valid_from <= earlier.valid_to == later.valid_from - dt.timedelta(days=1)
        assert addresses[-1].valid_to is None
        assert addresses[-1].valid_from < last_day
        licence = person.driver_licence
        if licence is not None:
            assert licence.state == person.current_address.state
            assert person.date_of_birth < licence.issued_on < licence.expires_on
            assert licence.issued_on < last_day
        assert all(phone.owned_since < last_day for phone in person.phones)
        if person.tax_profile == "new_to_state" and person.date_of_death is None:
            assert addresses[-1].state == "MA" != addresses[-2].state
            assert addresses[-1].valid_from.year == AS_OF.year - 1


# --- Personas, businesses, estates ---------------------------------------------------------------


@pytest.mark.parametrize("seed", [2026, 99])
def test_personas_are_pinned_in_every_population(seed):
    from taxgov.synthetic.personas import PERSONAS

    population = Population(seed)
    expected = {
        "alex": ("Alex", "Rivera", "owes"),
        "jordan": ("Jordan", "Lee", "payment_plan"),
        "sam": ("Sam", "Patel", "zero_returns"),
        "maria": ("Maria", "Gonzalez", "new_to_state"),
        "chris": ("Chris", "Morgan", "refunds"),
        "dana": ("Dana", "Hill", "refunds"),
        "taylor": ("Taylor", "Brooks", "refunds"),
        "pat": ("Pat", "Kim", "late_filer"),
        "riley": ("Riley", "Chen", "owes"),
    }
    assert {p.key: p.person_index for p in PERSONAS} == {
        "alex": 0, "jordan": 1, "sam": 2, "maria": 3, "chris": 4, "dana": 5, "taylor": 7, "pat": 8,
        "riley": 9,
    }  # fmt: skip
    for each in PERSONAS:
        person = population.person(each.person_index)
        assert (person.first_name, person.last_name, person.tax_profile) == expected[each.key]
        assert person.tin_type == ("itin" if each.key == "maria" else "ssn")
        assert person.date_of_death is None
        assert person.current_address.state == "MA"
        assert person.driver_licence is not None
        assert person.driver_licence.state == "MA"
        assert person.driver_licence.expires_on > AS_OF
        assert person.phones[0].kind == "mobile"
        assert person.phones[0].in_own_name
        assert each.story
        assert each.tags
    business, estate = population.business(0), population.estate(0)
    assert (business.name, business.entity_type, business.owner_index, business.tax_profile) == (
        "Morgan Family Bakery LLC", "llc", 4, "business_current"
    )  # fmt: skip
    assert (estate.name, estate.decedent_index, estate.executor_index) == ("Estate of Robert Hill", 6, 5)
    robert = population.person(6)
    assert (robert.first_name, robert.last_name) == ("Robert", "Hill")
    assert robert.date_of_death is not None
    assert robert.date_of_death.year == 2025


def test_personas_look_up_by_key():
    from taxgov.synthetic.personas import PERSONAS, persona

    assert len({p.key for p in PERSONAS}) == len(PERSONAS)
    assert persona("jordan").identity_password
    assert persona("chris").business_index == 0
    assert persona("dana").estate_index == 0
    with pytest.raises(KeyError, match="alex"):
        persona("nobody")


def test_decedents_are_exactly_the_estates_decedents(population, sample):
    estates = [population.estate(k) for k in range(population.estates_for(SAMPLE_SIZE))]

    assert {p.index for p in sample if p.date_of_death is not None} == {e.decedent_index for e in estates}
    for estate in estates:
        decedent, executor = sample[estate.decedent_index], sample[estate.executor_index]
        assert estate.name == f"Estate of {decedent.first_name} {decedent.last_name}"
        assert decedent.date_of_death is not None
        assert decedent.date_of_death < estate.formed_on <= AS_OF
        assert executor.date_of_death is None


def test_business_owners_are_alive_and_in_the_population(population, sample):
    count = population.businesses_for(SAMPLE_SIZE)
    businesses = [population.business(j) for j in range(count)]

    assert count == pytest.approx(SAMPLE_SIZE / 12, abs=1)
    assert all(b.owner_index < SAMPLE_SIZE and sample[b.owner_index].date_of_death is None for b in businesses)
    assert all(b.formed_on <= AS_OF for b in businesses)


@pytest.mark.parametrize("people", [0, 6, 7, 12, 199, DEMO_PEOPLE, 2401])
def test_counts_include_exactly_the_roles_that_fit(population, people):
    businesses, estates = population.businesses_for(people), population.estates_for(people)

    assert all(population.business(j).owner_index < people for j in range(businesses))
    assert population.business(businesses).owner_index >= people
    assert all(
        max(population.estate(k).decedent_index, population.estate(k).executor_index) < people for k in range(estates)
    )
    assert max(population.estate(estates).decedent_index, population.estate(estates).executor_index) >= people


def test_index_out_of_range_is_refused(population):
    with pytest.raises(ValueError, match="holds people"):
        population.person(-1)


# --- Boundaries ----------------------------------------------------------------------------------


def test_synthetic_imports_no_django_and_no_deployable():
    allowed_taxgov = "taxgov.synthetic"
    for path in (ROOT / "taxgov" / "synthetic").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith("django"), (path.name, name)
                assert not name.startswith("taxgov.") or name.startswith(allowed_taxgov), (path.name, name)
