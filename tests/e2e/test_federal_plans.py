"""Payment plans and the offer in compromise pre-qualifier in the federal Online Account:
Pat Kim applies for a short-term plan and Riley Chen for a long-term plan paid by direct
debit, and each sees the account change (the plan on the balance page, the setup fee in
the payoff, the plan's codes on the account transcript); Pat runs the pre-qualifier. Forms
are filled with the keyboard only; every page is checked with axe, in English and Spanish."""

from __future__ import annotations

import re
from decimal import Decimal

from playwright.sync_api import Page, expect

from tests.e2e.conftest import axe_check, screenshot
from tests.e2e.federal import download_transcript, fill_by_keyboard, sign_in

FOLDER = "federal-plans"
ROUTING = "011000015"  # a valid ABA checksum
LONG_TERM_FEE = Decimal("22.00")  # online, direct debit (federal.toml payment_plans.setup_fee)


def payoff(page: Page) -> Decimal:
    page.get_by_role("link", name="Account Balance").click()
    shown = page.locator("#payoff-heading ~ p.font-heading-2xl").first.inner_text()
    return Decimal(shown.replace("$", "").replace(",", ""))


def plan_section(page: Page) -> str:
    page.get_by_role("link", name="Account Balance").click()
    return page.locator("section[aria-labelledby=plan-heading]").inner_text()


def first_plan_year(page: Page) -> int:
    """On a plan's page: the first tax year it covers."""
    return int(page.locator("dt:text-is('Tax years') + dd").inner_text().split(",")[0])


def account_transcript_text(page: Page, year: int) -> str:
    page.get_by_role("link", name="Records and Status").click()
    page.get_by_role("link", name=re.compile("^Get a transcript")).first.click()
    return download_transcript(page, "Tax account transcript", year)


def open_plans(page: Page) -> None:
    page.get_by_role("link", name="Payment Plans", exact=True).click()
    expect(page.get_by_role("heading", name="Payment plans", level=1)).to_be_visible()


def test_a_short_term_plan(page: Page, live_servers):
    sign_in(page, live_servers, "pat")
    assert "You do not have a payment plan." in plan_section(page)
    before = payoff(page)
    open_plans(page)
    axe_check(page)
    screenshot(page, FOLDER, "01-options")

    page.get_by_role("link", name="Apply for a short-term plan").click()
    expect(page.get_by_role("heading", name="Apply for a short-term payment plan")).to_be_visible()
    expect(page.locator("dt:text-is('Setup fee') + dd")).to_have_text("None")
    axe_check(page)
    screenshot(page, FOLDER, "02-short-term")
    page.get_by_role("button", name="Submit application").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Your payment plan is approved.")).to_be_visible()
    expect(page.locator("dt:text-is('Plan') + dd")).to_have_text("Short-term payment plan")
    expect(page.locator("dt:text-is('Status') + dd")).to_have_text("In effect")
    axe_check(page)
    screenshot(page, FOLDER, "03-short-term-approved")
    year = first_plan_year(page)

    # The account now shows the plan, costs nothing more, and the transcript carries the
    # pending and established codes (TC 971 with action codes 043 and 063).
    assert "You have a payment plan, in place since" in plan_section(page)
    assert payoff(page) == before
    transcript = account_transcript_text(page, year)
    assert transcript.count("971") >= 2, transcript

    # Applying again is refused: one plan at a time.
    open_plans(page)
    expect(page.get_by_role("link", name="Apply for a short-term plan")).to_have_count(0)

    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", name="Planes de pago", level=1)).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "04-short-term-es")


def test_a_long_term_plan_by_direct_debit_and_a_change(page: Page, live_servers):
    sign_in(page, live_servers, "riley")
    before = payoff(page)
    open_plans(page)
    page.get_by_role("link", name="Apply for a long-term plan").click()
    heading = page.get_by_role("heading", name="Apply for a long-term payment plan")
    expect(heading).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "05-long-term-form")

    # A monthly amount under the minimum is refused with a clear message, and nothing changes.
    answers = {
        "direct_debit": "yes",
        "monthly_amount": "1",
        "due_day": "15",
        "bank_account_kind": "checking",
        "routing_number": ROUTING,
        "account_number": "123456789",
        "account_number_confirmation": "123456789",
    }
    fill_by_keyboard(page, heading, answers, submit="review")
    expect(page.locator(".usa-error-message").first).to_contain_text("at least")
    axe_check(page)
    screenshot(page, FOLDER, "06-long-term-error")

    fill_by_keyboard(page, heading, {**answers, "monthly_amount": "150"}, submit="review")
    expect(page.get_by_role("heading", name="Review your payment plan")).to_be_visible()
    expect(page.locator("dt:text-is('Setup fee') + dd")).to_contain_text("$22.00")
    expect(page.locator("dt:text-is('Monthly payment') + dd")).to_have_text("$150.00")
    axe_check(page)
    screenshot(page, FOLDER, "07-long-term-review")
    page.get_by_role("button", name="Submit application").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Your payment plan is approved.")).to_be_visible()
    expect(page.locator("dt:text-is('Plan') + dd")).to_have_text("Long-term payment plan (direct debit)")
    expect(page.locator("dt:text-is('Next debit') + dd")).to_contain_text("checking account ending in 6789")
    axe_check(page)
    screenshot(page, FOLDER, "08-long-term-approved")
    year = first_plan_year(page)

    # The setup fee (TC 360) is on the balance at once.
    assert "You have a payment plan, in place since" in plan_section(page)
    assert payoff(page) == before + LONG_TERM_FEE
    assert "971" in account_transcript_text(page, year)

    # A direct-debit plan's amount is changed by phone, as the IRS requires.
    open_plans(page)
    page.get_by_role("link", name="Change the amount or due day").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "09-revise")

    page.get_by_role("button", name="Español").click()
    open_plans_es = page.get_by_role("link", name="Planes de pago").first
    open_plans_es.click()
    axe_check(page)
    screenshot(page, FOLDER, "10-long-term-es")


def test_the_offer_in_compromise_prequalifier(page: Page, live_servers):
    sign_in(page, live_servers, "pat")
    open_plans(page)
    page.get_by_role("link", name="See if you may qualify for an offer").click()
    expect(page.get_by_role("heading", name="Offer in Compromise pre-qualifier", level=1)).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "11-offer-start")
    page.get_by_role("button", name="Start the pre-qualifier").click()

    steps: list[tuple[str, dict[str, str]]] = [
        (
            "Can an offer be considered?",
            {
                "in_bankruptcy": "no",
                "returns_filed": "yes",
                "estimated_payments": "not_required",
                "deposits": "not_employer",
                "billed": "yes",
            },
        ),
        (
            "You and your household",
            {"state": "Massachusetts", "county": "Middlesex", "household_size": "3", "aged_65_or_older": "0"},
        ),
        ("What you own", {"cash": "900", "vehicles_value": "6000", "vehicles_loan": "4000"}),
        ("Your household's income", {"wages": "5000", "agi": "41000"}),
        (
            "Your household's monthly expenses",
            {"housing": "2300", "vehicles": "1", "vehicle_payments": "250", "vehicle_operating": "200"},
        ),
    ]
    for number, (heading_name, answers) in enumerate(steps, start=12):
        heading = page.get_by_role("heading", name=heading_name)
        expect(heading).to_be_visible()
        axe_check(page)
        screenshot(page, FOLDER, f"{number}-offer-step")
        fill_by_keyboard(page, heading, answers, submit="")

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    page.get_by_role("button", name="See my result").click()
    expect(page.get_by_role("heading", name="Your pre-qualification result")).to_be_visible()
    expect(page.get_by_role("heading", name="You may qualify for an offer in compromise")).to_be_visible()
    # $5,000 a month less the $4,877 the standards allow: $123 a month, times 12 for a lump sum
    # and 24 for periodic payments; the bank balance and the vehicle's equity are excluded.
    expect(page.locator(".usa-alert--success")).to_contain_text("$1,476.00 paid as a lump sum, or $2,952.00")
    expect(page.get_by_text("Nothing was sent to the IRS and your account has not changed.")).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "17-offer-result")

    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", name=re.compile("resultado"), level=1)).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "18-offer-result-es")
