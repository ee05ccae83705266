"""The state guide (seed 001) walked in a browser: Sign Up, Create My Logon with a demo
persona's real prior-year amount, the confirmation, the Activate link from the dev outbox,
the first log-in with two-step setup, and "Trust this device". Every page is checked with
axe; each wizard step is kept as a screenshot in test-artifacts/state-wizard/."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import LiveServers, axe_check, screenshot

PASSWORD = "Harbor7Lights"


def persona(personas: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return next(p for p in personas if p["key"] == key)


def tick(page: Page, label: str) -> None:
    """Choose a USWDS radio or checkbox the way a person does: by its label (the input itself
    is drawn off-screen by USWDS, so it cannot be clicked)."""
    found = page.locator("label").filter(has_text=re.compile(re.escape(label))).first
    found.click()
    expect(page.locator(f"#{found.get_attribute('for')}")).to_be_checked()


def next_step(page: Page) -> None:
    page.get_by_role("button", name="Next").click()


def start_create_my_logon(page: Page, base: str) -> None:
    page.goto(base + "/")
    page.get_by_role("link", name="Sign Up").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registration Options")
    axe_check(page)
    page.get_by_role("link", name="Create My Logon").click()


def identify(page: Page, tin: str, *, shots: bool = False) -> None:
    """Taxpayer Type and Taxpayer ID and Account, as an individual with Personal Income Tax."""
    tick(page, "I am an individual who has previously filed taxes in the state")
    if shots:
        axe_check(page)
        screenshot(page, "state-wizard", "01-taxpayer-type")
    next_step(page)
    page.get_by_label("ID Type").select_option("ssn")
    page.get_by_label(re.compile(r"^ID\W*$")).fill(tin)
    page.get_by_label("Confirm ID").fill(tin)
    page.get_by_label("Select an account type").select_option("individual_income")
    if shots:
        axe_check(page)
        screenshot(page, "state-wizard", "02-taxpayer-id-and-account")
    next_step(page)


def choose_amount(page: Page, *, refund: bool = False, shots: bool = False) -> None:
    tick(page, "A tax return amount OR a tax refund amount")
    tick(page, "Refund Amount" if refund else "Tax Return Amount")
    if shots:
        axe_check(page)
        screenshot(page, "state-wizard", "03-verification-type")
    next_step(page)


def finish_logon(
    page: Page, who: dict[str, Any], username: str, *, shots: bool = False, professional: bool = False
) -> None:
    """Profile, logon, profile access, terms and summary; ends on the confirmation page."""
    page.get_by_label(re.compile(r"^Name\W*$")).fill(who["name"].upper())
    page.get_by_label("Phone type").select_option("cell")
    page.get_by_label("Phone number").fill("(617) 555-0123")
    page.get_by_label("Create a 4-digit PIN").fill("1234")
    page.get_by_label("E-mail address").fill(who["email"])
    page.get_by_label("Confirm e-mail").fill(who["email"])
    if shots:
        axe_check(page)
        screenshot(page, "state-wizard", "05-profile-information")
    next_step(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label(re.compile(r"^Password\W*$")).fill(PASSWORD)
    page.get_by_label("Confirm Password").fill(PASSWORD)
    page.get_by_label("Question").select_option("first_pet")
    page.get_by_label("Answer").fill("Rex")
    if shots:
        axe_check(page)
        screenshot(page, "state-wizard", "06-user-logon-setup")
    next_step(page)
    if professional:
        tick(page, "check this box for access to the Manage My Clients link")
    if shots:
        axe_check(page)
        screenshot(page, "state-wizard", "07-profile-access")
    next_step(page)
    tick(page, "I agree")
    if shots:
        axe_check(page)
        screenshot(page, "state-wizard", "08-terms-of-use")
    next_step(page)
    expect(page.get_by_role("heading", name="Registration Summary")).to_be_visible()
    expect(page.locator(".taxgov-review")).to_contain_text(username)
    if shots:
        axe_check(page)
        screenshot(page, "state-wizard", "09-summary")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request to Create an Online Account - Confirmation")


def activate_from_outbox(page: Page, base: str, email: str) -> None:
    page.goto(base + "/dev/outbox/")
    page.get_by_role("row").filter(has_text=email).filter(has_text="Registration Approved").get_by_role(
        "link"
    ).first.click()
    page.locator('a[href*="/activate/"]').first.click()
    axe_check(page)
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("Your logon is active")).to_be_visible()


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/")
    box = page.get_by_role("region", name="Log in")
    box.get_by_label("Username").fill(username)
    box.get_by_label("Password").fill(PASSWORD)
    box.get_by_role("button", name="Log in").click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").first.click()


def set_up_email_codes(page: Page, email: str) -> None:
    """The first log-in's two-step setup, by e-mail, with the development-only Populate link."""
    page.get_by_role("link", name="Add Email").click()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Save").click()
    populate_and_confirm(page)


def populate_and_confirm(page: Page, *, trust: bool = False) -> None:
    page.get_by_role("link", name="Populate").click()
    expect(page.get_by_label("Security Code")).to_have_value(re.compile(r"^[0-9]{6}$"))
    if trust:
        tick(page, "Trust this device")
    page.get_by_role("button", name="Confirm").click()


def test_create_my_logon_with_a_prior_amount_then_email_two_step_and_trust_this_device(
    page: Page, live_servers: dict[str, str], state_personas: list[dict[str, Any]]
):
    base = live_servers["state"]
    alex = persona(state_personas, "alex")
    amount = alex["state_return_amounts"][0]["amount"]
    start_create_my_logon(page, base)
    identify(page, alex["tin"], shots=True)
    choose_amount(page, shots=True)
    expect(page.get_by_text("How do I find this amount?")).to_be_visible()
    page.get_by_label("Amount").fill(amount)
    axe_check(page)
    screenshot(page, "state-wizard", "04-tax-amount")
    next_step(page)
    finish_logon(page, alex, "alex.rivera", shots=True)
    number = page.get_by_role("listitem").filter(has_text="Confirmation Number:").inner_text()
    assert re.search(r"[0-9]-[0-9]{3}-[0-9]{3}-[0-9]{3}", number)
    expect(page.get_by_role("listitem").filter(has_text="PIN:")).to_contain_text("1234")
    axe_check(page)
    screenshot(page, "state-wizard", "10-confirmation")

    activate_from_outbox(page, base, alex["email"])
    log_in(page, base, "alex.rivera")
    expect(page.get_by_role("heading", level=1)).to_contain_text("two-step verification")
    axe_check(page)
    screenshot(page, "state-wizard", "11-two-step-setup")
    page.get_by_role("link", name="Add Email").click()
    page.get_by_label("Email").fill(alex["email"])
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Verify Security Code")).to_be_visible()
    axe_check(page)
    screenshot(page, "state-wizard", "12-verify-security-code")
    populate_and_confirm(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Account Summary")
    axe_check(page)
    screenshot(page, "state-wizard", "13-account-summary")

    log_out(page)
    log_in(page, base, "alex.rivera")
    expect(page.get_by_role("heading", name="Verify Security Code")).to_be_visible()
    expect(page.get_by_label("Trust this device")).to_be_visible()
    populate_and_confirm(page, trust=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Account Summary")

    log_out(page)
    log_in(page, base, "alex.rivera")
    expect(page.get_by_role("heading", level=1)).to_have_text("Account Summary")


def test_authentication_app_setup_with_a_letter_id(
    page: Page, live_servers: dict[str, str], state_personas: list[dict[str, Any]]
):
    base = live_servers["state"]
    chris = persona(state_personas, "chris")
    start_create_my_logon(page, base)
    identify(page, chris["tin"])
    tick(page, "The letter ID from the letter you received")
    next_step(page)
    page.get_by_label("Letter ID").fill(chris["state_letter_id"])
    axe_check(page)
    next_step(page)
    finish_logon(page, chris, "chris.morgan")
    activate_from_outbox(page, base, chris["email"])

    log_in(page, base, "chris.morgan")
    page.get_by_role("link", name="Set Up").click()
    expect(page.locator("svg title")).to_have_text("QR code for your authentication app")
    axe_check(page)
    screenshot(page, "state-wizard", "11b-authentication-app")
    key = page.locator(".taxgov-key").inner_text().replace(" ", "")
    page.get_by_label("Security Code").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account Summary")


def test_a_wrong_amount_is_refused_and_the_person_can_try_again(
    page: Page, live_servers: dict[str, str], state_personas: list[dict[str, Any]]
):
    base = live_servers["state"]
    taylor = persona(state_personas, "taylor")
    start_create_my_logon(page, base)
    identify(page, taylor["tin"])
    choose_amount(page)
    page.get_by_label("Amount").fill("1.23")
    next_step(page)
    expect(page.get_by_role("alert")).to_contain_text("does not match our records")
    axe_check(page)
    screenshot(page, "state-wizard", "04b-wrong-amount")
    refund = next(a for a in taylor["state_return_amounts"] if a["line"] == "refund")
    page.get_by_role("link", name="Previous").click()
    choose_amount(page, refund=True)
    page.get_by_label("Amount").fill(refund["amount"])
    next_step(page)
    expect(page.get_by_role("heading", name=re.compile("Create Your .* Online Profile"))).to_be_visible()


def test_a_taxpayer_with_only_zero_returns_is_told_to_call(
    page: Page, live_servers: dict[str, str], state_personas: list[dict[str, Any]]
):
    base = live_servers["state"]
    sam = persona(state_personas, "sam")
    assert sam["state_return_amounts"] == []
    start_create_my_logon(page, base)
    identify(page, sam["tin"])
    choose_amount(page)
    page.get_by_label("Amount").fill("0.00")
    next_step(page)
    expect(page.get_by_role("alert")).to_contain_text("greater than $0")
    page.get_by_label("Amount").fill("100.00")
    next_step(page)
    expect(page.get_by_role("alert")).to_contain_text("does not match our records")
    expect(page.get_by_text("only zero returns")).to_be_visible()
    expect(page.get_by_text(re.compile(r"\(617\) 555-0146")).first).to_be_visible()


@pytest.mark.parametrize("kind", ["individual", "business", "estate"])
def test_each_register_path_is_reviewed_approved_and_activated(
    page: Page, browser: Browser, live_servers: LiveServers, staff_logon: str, kind: str
):
    base = live_servers["state"]
    page.goto(base + "/sign-up/")
    page.get_by_role(
        "link",
        name={
            "individual": "Register an Individual",
            "business": "Register a Business",
            "estate": "Register an Estate",
        }[kind],
    ).click()
    tin = {"individual": "900-77-1001", "business": "00-7701002", "estate": "00-7701003"}[kind]
    if kind == "individual":
        page.get_by_label("First name").fill("Nia")
        page.get_by_label("Last name").fill("Okafor")
        page.get_by_label("Date of birth").fill("04/28/1986")
    elif kind == "business":
        page.get_by_label("Type of organization").select_option("llc")
        page.get_by_label("Legal name").fill("Harbor Lights LLC")
    else:
        page.get_by_label("Name of the estate").fill("Estate of Robin Vale")
        page.get_by_label("Name of the person who died").fill("Robin Vale")
        page.get_by_label("Date of death").fill("03/02/2026")
    page.locator("input[name=tin_entry]").fill(tin)
    page.locator("input[name=tin_confirmation]").fill(tin)
    axe_check(page)
    screenshot(page, "state-register", f"{kind}-1-taxpayer")
    next_step(page)
    page.get_by_label(re.compile(r"^Street address\W*$")).fill("5 Elm St")
    page.get_by_label("City").fill("Worcester")
    page.get_by_label("State").select_option("MA")
    page.get_by_label("ZIP code").fill("01608")
    next_step(page)
    page.locator("input[name=new_account_types] + label").first.click()
    page.get_by_label("Starting date").fill("01/01/2026")
    axe_check(page)
    screenshot(page, "state-register", f"{kind}-3-taxes")
    next_step(page)
    who = {"name": f"Reg {kind}", "email": f"register.{kind}@example.com"}
    finish_logon(page, who, f"register.{kind}")
    expect(page.get_by_text("reviewed by our staff")).to_be_visible()
    axe_check(page)
    number = re.search(
        r"[0-9]-[0-9]{3}-[0-9]{3}-[0-9]{3}",
        page.get_by_role("listitem").filter(has_text="Confirmation Number:").inner_text(),
    )
    assert number is not None

    staff_approves(browser, base, staff_logon, number.group(0))
    activate_from_outbox(page, base, who["email"])
    log_in(page, base, f"register.{kind}")
    set_up_email_codes(page, who["email"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Account Summary")
    expect(page.get_by_role("heading", level=2).first).to_contain_text(
        {"individual": "Nia Okafor", "business": "Harbor Lights LLC", "estate": "Estate of Robin Vale"}[kind]
    )


@pytest.fixture(scope="module")
def staff_logon(live_servers: LiveServers) -> str:
    live_servers.manage(
        "state", "createsuperuser", "--noinput", "--username", "staff.reviewer", DJANGO_SUPERUSER_PASSWORD=PASSWORD
    )
    return "staff.reviewer"


def staff_approves(browser: Browser, base: str, username: str, confirmation_number: str) -> None:
    """A reviewer, in their own browser, logs in (two-step verification too) and approves."""
    context = browser.new_context(locale="en-US", viewport={"width": 1100, "height": 900})
    staff = context.new_page()
    log_in(staff, base, username)
    staff.wait_for_url(re.compile(r"/two-step/"))
    if staff.url.endswith("/two-step/"):  # the reviewer's first log-in: set up two-step verification
        staff.get_by_role("link", name="Add Email").click()
        staff.get_by_label("Email").fill("reviewer@agency.example")
        staff.get_by_role("button", name="Save").click()
    populate_and_confirm(staff)
    staff.goto(base + "/staff/registrations/")
    axe_check(staff)
    staff.get_by_role("link", name=confirmation_number).click()
    axe_check(staff)
    screenshot(staff, "state-register", "staff-review")
    staff.get_by_role("button", name="Approve").click()
    expect(staff.get_by_text("Approved. The Activate link was e-mailed.")).to_be_visible()
    context.close()


def create_logon_and_sign_in(
    page: Page, base: str, who: dict[str, Any], username: str, *, professional: bool = False
) -> None:
    """Create My Logon with the persona's first prior amount, activate, log in, set up e-mail codes."""
    start_create_my_logon(page, base)
    identify(page, who["tin"])
    first = who["state_return_amounts"][0]
    choose_amount(page, refund=first["line"] == "refund")
    page.get_by_label("Amount").fill(first["amount"])
    next_step(page)
    finish_logon(page, who, username, professional=professional)
    activate_from_outbox(page, base, who["email"])
    log_in(page, base, username)
    set_up_email_codes(page, who["email"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Account Summary")


def test_a_tax_professional_gets_client_access_once_the_client_approves(
    page: Page, live_servers: dict[str, str], state_personas: list[dict[str, Any]]
):
    base = live_servers["state"]
    preparer, client = persona(state_personas, "dana"), persona(state_personas, "pat")
    create_logon_and_sign_in(page, base, preparer, "dana.prepares", professional=True)
    page.get_by_role("link", name="Manage My Clients").click()
    page.get_by_label("Client's SSN, ITIN or FEIN").fill(client["tin"])
    page.get_by_label("Client's last name or business name").fill(client["name"].split()[-1])
    axe_check(page)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("waiting for the client to approve")).to_be_visible()
    log_out(page)

    create_logon_and_sign_in(page, base, client, "pat.kim")
    page.get_by_role("link", name="Manage My Access").click()
    expect(page.get_by_text("Asks for access")).to_be_visible()
    axe_check(page)
    screenshot(page, "state-portal", "manage-my-access")
    page.get_by_role("button", name=re.compile("^Approve")).click()
    log_out(page)

    log_in(page, base, "dana.prepares")
    populate_and_confirm(page)
    expect(page.get_by_role("heading", name=re.compile(client["name"]))).to_be_visible()
    axe_check(page)
    screenshot(page, "state-portal", "professional-summary-with-client")
    page.get_by_role("link", name="Manage My Clients").click()
    expect(page.get_by_text("access approved")).to_be_visible()


def test_the_wizard_works_with_the_keyboard_alone(page: Page, live_servers: dict[str, str]):
    page.goto(live_servers["state"] + "/sign-up/logon/taxpayer-type/")
    radio = page.get_by_label("I am an individual who has previously filed taxes in the state")
    radio.focus()
    page.keyboard.press("Space")
    expect(radio).to_be_checked()
    page.keyboard.press("Enter")  # Next is the form's only submit button
    expect(page.get_by_role("heading", name="Taxpayer Identification and Account Type")).to_be_visible()
    page.get_by_label("ID Type").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_label(re.compile(r"^ID\W*$"))).to_be_focused()


def test_the_wizard_works_without_javascript(browser: Browser, live_servers: dict[str, str]):
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    page = context.new_page()
    page.goto(live_servers["state"] + "/sign-up/logon/taxpayer-type/")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("alert")).to_contain_text("This field is required")
    tick(page, "I am an individual who has previously filed taxes in the state")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Step 2 of 9")).to_be_visible()
    page.get_by_role("link", name="Previous").click()
    expect(page.get_by_label("I am an individual who has previously filed taxes in the state")).to_be_checked()
    context.close()


def test_signed_in_pages_payments_and_spanish_are_accessible(
    page: Page, live_servers: dict[str, str], state_personas: list[dict[str, Any]]
):
    base = live_servers["state"]
    jordan = persona(state_personas, "jordan")
    create_logon_and_sign_in(page, base, jordan, "jordan.lee")

    page.get_by_role("link", name="Make a Payment").first.click()
    axe_check(page)
    page.get_by_label("Amount").fill("25.00")
    in_two_weeks = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=14)
    page.get_by_label("Payment date").fill(in_two_weeks.strftime("%m/%d/%Y"))
    tick(page, "Checking")
    page.get_by_label("Routing number").fill("011000015")
    page.get_by_label(re.compile(r"^Account number\W*$")).fill("123456789")
    page.get_by_label("Confirm account number").fill("123456789")
    page.get_by_role("button", name="Submit payment").click()
    expect(page.get_by_text("Scheduled")).to_be_visible()
    axe_check(page)
    screenshot(page, "state-portal", "payment-scheduled")
    page.get_by_role("button", name="Cancel this payment").click()
    expect(page.get_by_text("The payment was cancelled")).to_be_visible()
    page.get_by_role("link", name="Payment history").click()
    expect(page.get_by_role("cell", name="Cancelled")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Manage My Profile").click()
    axe_check(page)
    screenshot(page, "state-portal", "manage-my-profile")
    expect(page.get_by_text(re.compile(r"Email j\*\*\*@e\*+\.com"))).to_be_visible()

    for path in ("/help/faq/", "/help/videos/", "/sign-up/"):
        page.goto(base + path)
        axe_check(page)

    page.goto(base + "/account/")
    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resumen de cuenta")
    axe_check(page)
    screenshot(page, "state-portal", "account-summary-es")
    page.get_by_role("button", name="English").click()
    log_out(page)
    page.goto(base + "/forgot/")
    axe_check(page)
