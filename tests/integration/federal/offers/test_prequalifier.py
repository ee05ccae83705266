"""The Offer in Compromise pre-qualifier: the whole flow, each knock-out answer, bad input that
changes nothing, resuming, Previous, the review, the result's numbers, Start over, and nobody
reaching another person's answers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from taxgov.common.audit.models import AuditEvent
from taxgov.federal.offers import queries
from taxgov.federal.offers.models import Prequalification
from taxgov.ledger.models import Transaction
from tests.integration.federal.conftest import identity_of, person, today
from tests.integration.federal.test_account import with_profile

pytestmark = pytest.mark.django_db

SCREENING_OK = {
    "in_bankruptcy": "no",
    "returns_filed": "yes",
    "estimated_payments": "not_required",
    "deposits": "not_employer",
    "billed": "yes",
}
# The Boston couple of tests/unit/federal/offers/test_calculator.py, worked there by hand.
BASICS = {"state": "MA", "county": "Suffolk", "household_size": "2", "aged_65_or_older": "0", "tax_debt": "60000"}
ASSETS = {
    "cash": "6500",
    "investments_value": "4000",
    "retirement_value": "20000",
    "retirement_loan": "2000",
    "vehicles_value": "15000",
    "vehicles_loan": "9000",
    "other_value": "2500",
}
INCOME = {"wages": "8000", "other_income": "300", "agi": "99600"}
EXPENSES = {
    "housing": "3500",
    "vehicles": "1",
    "vehicle_payments": "450",
    "vehicle_operating": "400",
    "health_insurance": "300",
    "current_taxes": "900",
}
STEPS = (("status", SCREENING_OK), ("basics", BASICS), ("assets", ASSETS), ("income", INCOME), ("expenses", EXPENSES))


@pytest.fixture
def alex(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "alex", on=client)
    return personas["alex"]


def start(client: Client) -> Prequalification:
    response = client.post(reverse("offers:start"))
    draft = Prequalification.objects.get()
    assert response["Location"] == reverse("offers:resume", args=[draft.public_id])
    return draft


def step_url(draft: Prequalification, step: str) -> str:
    return reverse("offers:step", args=[draft.public_id, step])


def answer(client: Client, draft: Prequalification, up_to: str = "expenses") -> None:
    """Answer the steps in order, up to and including ``up_to``."""
    for key, data in STEPS:
        response = client.post(step_url(draft, key), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        if key == up_to:
            return


def test_the_start_page_offers_to_start(client, alex):
    page = client.get(reverse("offers:index"))
    assert page.status_code == 200
    assert b"Start the pre-qualifier" in page.content
    assert not Prequalification.objects.exists()  # looking makes no draft


def test_the_whole_flow_with_alex(client, alex):
    before = Transaction.objects.count()
    draft = start(client)
    assert client.get(reverse("offers:resume", args=[draft.public_id]))["Location"] == step_url(draft, "status")
    basics = client.get(step_url(draft, "status"))
    assert basics.status_code == 200
    assert b"usa-step-indicator" in basics.content
    client.post(step_url(draft, "status"), SCREENING_OK)
    # The tax debt is filled in from the ledger's payoff for today, and can be changed.
    page = client.get(step_url(draft, "basics"))
    assert page.context["form"]["tax_debt"].value() == queries.payoff_today(alex, today())
    answer(client, draft)
    review = client.get(step_url(draft, "review"))
    rows = {str(label): value for label, value in review.context["review_rows"]}
    assert rows["County"] == "Suffolk"
    assert rows["Total federal tax you owe"] == "$60,000.00"
    assert rows["Retirement accounts: loans against them"] == "$2,000.00"
    assert rows["Are you in an open bankruptcy proceeding?"] == "No"
    submitted = client.post(step_url(draft, "review"))
    assert submitted["Location"] == reverse("offers:result", args=[draft.public_id])
    page = client.get(submitted["Location"])
    result = page.context["result"]
    # The hand-worked numbers of the unit tests' Boston couple.
    assert result.net_realizable_equity == Decimal("25500")
    assert result.disposable_income == Decimal("1266")
    assert result.lump_sum.offer == Decimal("40692")
    assert result.periodic.offer == Decimal("55884")
    text = page.content.decode()
    assert "You may qualify for an offer in compromise" in text
    assert "$40,692.00" in text
    assert "$8,138.40" in text
    assert "$2,328.50" in text
    assert "$205.00" in text
    assert Transaction.objects.count() == before  # the pre-qualifier writes nothing to the ledger
    tags = list(
        AuditEvent.objects.filter(tag__startswith="federal:offer_prequalification").values_list("tag", flat=True)
    )
    assert tags == ["federal:offer_prequalification:started", "federal:offer_prequalification:reviewed"]


@pytest.mark.parametrize(
    ("question", "knock_out", "reason"),
    [
        ("in_bankruptcy", "yes", "open bankruptcy proceeding"),
        ("returns_filed", "no", "Not all of your required tax returns are filed"),
        ("estimated_payments", "no", "estimated tax payments are not all made"),
        ("deposits", "no", "deposits as an employer are not up to date"),
        ("billed", "no", "not been billed"),
    ],
)
def test_each_knock_out_answer_ends_the_flow_saying_why(client, alex, question, knock_out, reason):
    draft = start(client)
    response = client.post(step_url(draft, "status"), {**SCREENING_OK, question: knock_out})
    assert response["Location"] == reverse("offers:ineligible", args=[draft.public_id])
    page = client.get(response["Location"])
    assert reason in page.content.decode()
    assert b"Make a payment" in page.content
    # The next step stays closed: the person is sent back to the screening.
    assert client.get(step_url(draft, "basics"))["Location"] == step_url(draft, "status")
    # Changing the answer opens the flow again.
    client.post(step_url(draft, "status"), SCREENING_OK)
    assert client.get(step_url(draft, "basics")).status_code == 200
    assert client.get(reverse("offers:ineligible", args=[draft.public_id]))["Location"] == reverse(
        "offers:resume", args=[draft.public_id]
    )


@pytest.mark.parametrize(
    ("step", "data", "problem"),
    [
        ("basics", {**BASICS, "aged_65_or_older": "3"}, "cannot be more than the people in your household"),
        ("basics", {**BASICS, "county": ""}, "Choose the county where you live in MA"),
        ("basics", {**BASICS, "household_size": "0"}, "greater than or equal to 1"),
        ("basics", {**BASICS, "tax_debt": ""}, "This field is required"),
        ("basics", {**BASICS, "tax_debt": "0"}, "an offer settles a tax debt"),
        ("assets", {**ASSETS, "cash": "-5"}, "greater than or equal to 0"),
        ("assets", {**ASSETS, "retirement_value": "lots"}, "Enter a number"),
        ("income", {**INCOME, "agi": ""}, "This field is required"),
        ("expenses", {**EXPENSES, "vehicles": "0"}, "You said you have no vehicle"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(client, alex, step, data, problem):
    draft = start(client)
    for key, answers in STEPS:
        if key == step:
            break
        client.post(step_url(draft, key), answers)
    saved = Prequalification.objects.values().get(pk=draft.pk)
    response = client.post(step_url(draft, step), data)
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert b"There is a problem" in response.content
    after = Prequalification.objects.values().get(pk=draft.pk)
    assert after == saved


def test_a_state_without_county_standards_needs_no_county(client, alex):
    draft = start(client)
    client.post(step_url(draft, "status"), SCREENING_OK)
    client.post(step_url(draft, "basics"), {**BASICS, "state": "TX", "county": "Suffolk"})
    draft.refresh_from_db()
    assert (draft.state, draft.county) == ("TX", "")


def test_leaving_and_coming_back_resumes_where_the_person_stopped(client, alex, sign_in, population):
    draft = start(client)
    answer(client, draft, up_to="basics")
    # A new browser, signed in again as the same person.
    later = Client()
    sign_in(identity_of(person(population, "alex"), "sub-alex"), on=later)
    index = later.get(reverse("offers:index"))
    assert b"Continue where you left off" in index.content
    assert later.get(reverse("offers:resume", args=[draft.public_id]))["Location"] == step_url(draft, "assets")
    assert later.get(step_url(draft, "basics")).context["form"]["county"].value() == "Suffolk"


def test_previous_keeps_the_answers(client, alex):
    draft = start(client)
    answer(client, draft, up_to="assets")
    page = client.get(step_url(draft, "assets"))
    assert page.context["previous_url"] == step_url(draft, "basics")
    previous = client.get(page.context["previous_url"])
    form = previous.context["form"]
    assert (form["state"].value(), form["household_size"].value(), form["tax_debt"].value()) == (
        "MA",
        2,
        Decimal("60000.00"),
    )
    assert client.get(step_url(draft, "assets")).context["form"]["retirement_loan"].value() == Decimal("2000.00")


def test_a_step_cannot_be_skipped(client, alex):
    draft = start(client)
    client.post(step_url(draft, "status"), SCREENING_OK)
    assert client.get(step_url(draft, "income"))["Location"] == step_url(draft, "basics")
    assert client.get(reverse("offers:result", args=[draft.public_id]))["Location"] == reverse(
        "offers:resume", args=[draft.public_id]
    )


def test_a_changed_answer_needs_a_new_review(client, alex):
    draft = start(client)
    answer(client, draft)
    client.post(step_url(draft, "review"))
    result_url = reverse("offers:result", args=[draft.public_id])
    assert client.get(result_url).status_code == 200
    client.post(step_url(draft, "income"), {**INCOME, "wages": "9000"})
    assert client.get(result_url).status_code == 302
    client.post(step_url(draft, "review"))
    assert client.get(result_url).context["result"].disposable_income == Decimal("2266")  # 9,300 - 7,034


def test_an_offer_is_unlikely_when_alex_could_pay_in_full(client, alex):
    draft = start(client)
    answer(client, draft)
    client.post(step_url(draft, "basics"), {**BASICS, "tax_debt": "30000"})
    client.post(step_url(draft, "review"))
    page = client.get(reverse("offers:result", args=[draft.public_id]))
    text = page.content.decode()
    assert "An offer is unlikely to be accepted" in text
    assert "payment plan" in text


def test_nobody_reaches_another_persons_answers(client, alex, sign_in, population, personas):
    draft = start(client)
    answer(client, draft, up_to="basics")
    other = Client()
    with_profile(sign_in, population, personas, "pat", on=other)
    for url in (
        reverse("offers:resume", args=[draft.public_id]),
        step_url(draft, "basics"),
        reverse("offers:result", args=[draft.public_id]),
        reverse("offers:ineligible", args=[draft.public_id]),
        reverse("offers:start_over", args=[draft.public_id]),
    ):
        assert other.get(url).status_code == 404, url
    assert other.post(step_url(draft, "basics"), {**BASICS, "tax_debt": "1"}).status_code == 404
    assert other.post(reverse("offers:start_over", args=[draft.public_id])).status_code == 404
    draft.refresh_from_db()
    assert draft.tax_debt == Decimal("60000")
    # Pat's own start page knows nothing of Alex's draft.
    assert b"Start the pre-qualifier" in other.get(reverse("offers:index")).content


def test_start_over_deletes_the_answers(client, alex):
    draft = start(client)
    answer(client, draft, up_to="basics")
    assert client.get(reverse("offers:start_over", args=[draft.public_id])).status_code == 200
    response = client.post(reverse("offers:start_over", args=[draft.public_id]))
    assert response["Location"] == reverse("offers:index")
    assert not Prequalification.objects.exists()
    assert AuditEvent.objects.filter(tag="federal:offer_prequalification:deleted").count() == 1
    assert client.get(step_url(draft, "status")).status_code == 404


def test_starting_twice_keeps_one_draft(client, alex):
    first = start(client)
    client.post(reverse("offers:start"))
    assert Prequalification.objects.get() == first
