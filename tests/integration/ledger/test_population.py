"""The synthetic population in the ledger: the generator's histories, the batch loader, the demo
data and the persona sheet, on the federal side and (with the setting overridden) the state side."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.test.utils import override_settings

from taxgov.common.audit.actions import FORBIDDEN_EXTRA_KEYS
from taxgov.common.audit.models import AuditEvent
from taxgov.ledger import queries, synthetic
from taxgov.ledger.demo import load_demo_data
from taxgov.ledger.identifiers import tin_fingerprint
from taxgov.ledger.models import (
    Address,
    Contact,
    InformationReturn,
    Notice,
    TaxAccount,
    Taxpayer,
    TaxPeriod,
    TaxReturn,
    Transaction,
)
from taxgov.ledger.population import load_population
from taxgov.ledger.tags import LedgerTag
from taxgov.synthetic.personas import PERSONAS, persona
from taxgov.synthetic.population import Population

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 21)
PEOPLE = 300
PERSONA_PEOPLE = 1 + max(p.person_index for p in PERSONAS)
TABLES = (Taxpayer, Address, Contact, TaxAccount, TaxPeriod, TaxReturn, InformationReturn, Transaction, Notice)


@pytest.fixture(scope="module")
def population() -> Population:
    return Population()


def load(population: Population, agency: str, stop: int = PEOPLE) -> None:
    with override_settings(TAXGOV_LEDGER_AGENCY=agency):
        load_population(population, 0, stop, agency=agency, batch_size=64, today=TODAY)


def stored(population: Population, key: str) -> Taxpayer | None:
    return Taxpayer.objects.filter(
        tin_fingerprint=tin_fingerprint(population.person(persona(key).person_index).tin)
    ).first()


def test_loading_the_same_people_again_writes_nothing(population):
    first = load_population(population, 0, PEOPLE, agency="federal", batch_size=64, today=TODAY)
    rows = {model.__name__: model.objects.count() for model in TABLES}
    assert first.taxpayers == rows["Taxpayer"] > PEOPLE  # the people, their businesses and estates
    assert first.transactions == rows["Transaction"]

    again = load_population(population, 0, PEOPLE, agency="federal", batch_size=64, today=TODAY)

    assert again.taxpayers == again.rows == 0
    assert again.skipped == first.taxpayers
    assert {model.__name__: model.objects.count() for model in TABLES} == rows
    events = AuditEvent.objects.filter(tag=LedgerTag.POPULATION_LOADED).order_by("sequence")
    assert [event.extra["taxpayers"] for event in events] == [first.taxpayers, 0]
    assert not FORBIDDEN_EXTRA_KEYS & set(events[0].extra)


def test_a_load_that_overlaps_an_earlier_one_adds_only_the_new_people(population):
    load_population(population, 0, 100, agency="federal", today=TODAY)
    counts = load_population(population, 50, 150, agency="federal", today=TODAY)
    assert counts.skipped >= 50
    assert Taxpayer.objects.filter(kind="individual").count() == 150


def test_the_same_person_has_the_same_identity_at_both_agencies(population):
    both = 0
    for person in population.people(0, PEOPLE):
        federal = synthetic.history("federal", person, population, today=TODAY)
        state = synthetic.history("state", person, population, today=TODAY)
        assert federal is not None
        if state is None:
            assert person.tax_profile == "new_to_state" or person.current_address.state != "MA"
            continue
        both += 1
        assert tin_fingerprint(state.taxpayer.tin) == tin_fingerprint(federal.taxpayer.tin)
        assert dataclass_identity(state.taxpayer) == dataclass_identity(federal.taxpayer)
        federal_years = {p.end.year for p in federal.periods()}
        assert {p.end.year for p in state.periods()} <= federal_years
    assert both > PEOPLE * 0.7


def dataclass_identity(taxpayer: synthetic.HistoryTaxpayer) -> tuple[object, ...]:
    return (
        taxpayer.first_name,
        taxpayer.middle_name,
        taxpayer.last_name,
        taxpayer.date_of_birth,
        taxpayer.addresses,
        taxpayer.contacts,
    )


def test_histories_are_the_same_wherever_they_are_computed(population):
    person = population.person(persona("pat").person_index)
    assert synthetic.history("state", person, Population(), today=TODAY) == synthetic.history(
        "state", person, population, today=TODAY
    )


def test_the_new_to_state_persona_is_known_only_to_the_federal_agency(population):
    load(population, "state", PERSONA_PEOPLE)
    assert stored(population, "maria") is None
    assert stored(population, "alex") is not None
    load(population, "federal", PERSONA_PEOPLE)
    assert stored(population, "maria") is not None


def test_entities_name_their_responsible_party_by_fingerprint_only(population):
    load(population, "federal", PERSONA_PEOPLE)
    bakery = Taxpayer.objects.get(tin_fingerprint=tin_fingerprint(population.business(0).ein))
    estate = Taxpayer.objects.get(tin_fingerprint=tin_fingerprint(population.estate(0).ein))
    assert bakery.responsible_party_fingerprint == stored(population, "chris").tin_fingerprint
    assert estate.responsible_party_fingerprint == stored(population, "dana").tin_fingerprint
    assert not Taxpayer.objects.filter(kind="individual").exclude(responsible_party_fingerprint="").exists()
    assert not Taxpayer.objects.exclude(kind="individual").filter(responsible_party_fingerprint="").exists()


def test_sam_has_only_zero_state_returns(population):
    load(population, "state", PERSONA_PEOPLE)
    returns = TaxReturn.objects.filter(period__account__taxpayer=stored(population, "sam"))
    assert returns.count() >= 3
    assert {(r.income_tax_after_credits, r.refund) for r in returns} == {(Decimal(0), Decimal(0))}


def test_alex_has_a_state_amount_for_the_wizard_and_a_letter_id(population):
    load(population, "state", PERSONA_PEOPLE)
    alex = stored(population, "alex")
    last_three = TaxReturn.objects.filter(period__account__taxpayer=alex).order_by("-period__end")[:3]
    assert any(r.income_tax_after_credits > 0 or r.refund > 0 for r in last_three)
    assert Notice.objects.filter(taxpayer=alex, letter_id__isnull=False).exists()
    assert queries.taxpayer_payoff(alex, TODAY).total.total > 0


def test_pat_was_assessed_penalties_and_interest_at_the_late_filing_and_got_a_levy_notice(population):
    load(population, "federal", PERSONA_PEOPLE)
    pat = stored(population, "pat")
    late = TaxReturn.objects.get(period__account__taxpayer=pat, filed_on__gt=F("period__due_date"))
    codes = set(
        Transaction.objects.filter(period=late.period, effective_date=late.filed_on).values_list("code", flat=True)
    )
    assert {"150", "166", "276", "196"} <= codes
    assert Notice.objects.filter(taxpayer=pat, kind__in=["CP504", "LT11"]).count() == 2


def test_jordan_pays_monthly_under_an_installment_agreement(population):
    load(population, "federal", PERSONA_PEOPLE)
    entries = Transaction.objects.filter(period__account__taxpayer=stored(population, "jordan"))
    assert list(entries.filter(code="971").values_list("action_code", flat=True)) == ["043", "063"]
    assert entries.filter(code="670").count() >= 3
    assert Notice.objects.filter(taxpayer=stored(population, "jordan"), kind="CP521").exists()


@pytest.mark.parametrize("agency", ["federal", "state"])
def test_the_stored_payoff_is_what_demo_personas_prints(population, agency, capsys):
    load(population, agency, PERSONA_PEOPLE)
    call_command("demo_personas", "--json", "--as-of", TODAY.isoformat())
    sheet = json.loads(capsys.readouterr().out)["personas"]
    with override_settings(TAXGOV_LEDGER_AGENCY=agency):
        for entry in sheet:
            taxpayer = stored(population, entry["key"])
            printed = entry[f"{agency}_balance"]
            if taxpayer is None:
                assert printed is None
                continue
            total = queries.taxpayer_payoff(taxpayer, TODAY).total.display()["total"]
            assert f"{total:.2f}" == printed, entry["key"]
    owing = {entry["key"] for entry in sheet if Decimal(entry[f"{agency}_balance"] or 0) > 0}
    assert {"alex", "jordan", "pat"} <= owing
    assert not owing & {"sam", "chris", "taylor"}


def test_letter_ids_are_unique_and_formatted(population):
    load(population, "state")
    letter_ids = list(Notice.objects.exclude(letter_id=None).values_list("letter_id", flat=True))
    assert len(letter_ids) > PEOPLE
    assert len(set(letter_ids)) == len(letter_ids)
    assert all(re.fullmatch(r"L\d{10}", letter) for letter in letter_ids)
    assert not Notice.objects.filter(kind__in=["CP14", "CP504"]).exclude(letter_id=None).exists()


def test_letter_ids_never_collide_and_do_not_follow_the_letter_number():
    ids = [synthetic.letter_id(2026, number) for number in range(200_000)]
    assert len(set(ids)) == len(ids)
    assert ids[:3] != sorted(ids[:3]) or ids[3:6] != sorted(ids[3:6])
    assert synthetic.letter_id(2026, 10**10 - 1) != synthetic.letter_id(2027, 10**10 - 1)
    with pytest.raises(ValueError, match="outside"):
        synthetic.letter_id(2026, 10**10)


@pytest.mark.parametrize("agency", ["federal", "state"])
def test_the_population_looks_like_a_real_one(population, agency):
    load(population, agency)
    taxpayers = list(Taxpayer.objects.all())
    with override_settings(TAXGOV_LEDGER_AGENCY=agency):
        owing = sum(1 for t in taxpayers if queries.taxpayer_payoff(t, TODAY).total.total > 0)
    assert 0.05 < owing / len(taxpayers) < 0.35  # most owe nothing
    average = Transaction.objects.count() / len(taxpayers)
    assert 10 <= average <= 40
    per_year = TaxPeriod.objects.filter(account__account_type="individual_income").annotate(n=Count("transactions"))
    typical = sum(1 for period in per_year if 2 <= period.n <= 4)  # return, credits, refund or payment
    assert typical / len(per_year) > 0.6
    kinds = dict(InformationReturn.objects.values_list("kind").annotate(Count("id")))
    assert kinds["W-2"] > kinds["1099-INT"] > kinds["1099-NEC"] > 0
    assert all(ein.startswith("00") for ein in InformationReturn.objects.values_list("payer_tin", flat=True)[:200])


def test_demo_personas_json_has_every_persona_and_the_table_names_them(capsys):
    call_command("demo_personas", "--json")
    sheet = json.loads(capsys.readouterr().out)
    assert [entry["key"] for entry in sheet["personas"]] == [p.key for p in PERSONAS]
    jordan = next(entry for entry in sheet["personas"] if entry["key"] == "jordan")
    assert jordan["identity_password"]
    assert re.fullmatch(r"\d{3}-\d{2}-\d{4}", jordan["tin"])
    sam = next(entry for entry in sheet["personas"] if entry["key"] == "sam")
    assert sam["state_return_amounts"] == []
    assert sam["state_letter_id"] is None
    call_command("demo_personas", "--as-of", TODAY.isoformat())
    table = capsys.readouterr().out
    assert all(p.key in table for p in PERSONAS)


def test_demo_data_loads_once(population):
    first = load_demo_data()
    assert "0 already there" in first
    assert "0 taxpayers loaded" in load_demo_data()
