"""Authorizations and the business tax account in the federal Online Account.

Taylor Brooks, a tax professional, creates her professional profile and sends Jordan Lee a
power of attorney request; Jordan signs it; Taylor's view of Jordan changes from a pending
request to the authorized years' account, and only those. Chris Morgan registers as the
Designated Official of Morgan Family Bakery LLC, acts for it, and makes Jordan a Designated
User, who can then look at the bakery's account but not pay. Forms are filled with the
keyboard; every page is checked with axe, in English and Spanish."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import axe_check, screenshot
from tests.e2e.federal import choose, fill_by_keyboard, pdf_text, persona_of, sign_in

FOLDER = "federal-authorizations"
YEARS = ("2024", "2025")


def address_answers(persona: dict[str, Any]) -> dict[str, str]:
    """The persona's address on file, as the request form asks for it."""
    parts = [part.strip() for part in persona["address"].split(",")]
    state, postal_code = parts[-1].split()
    line2 = parts[1] if len(parts) == 4 else ""
    answers = {"address_line1": parts[0], "city": parts[-2], "state": state, "postal_code": postal_code}
    if line2:
        answers["address_line2"] = line2
    return answers


def new_page(browser: Browser) -> Page:
    context = browser.new_context(locale="en-US", viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_a_power_of_attorney_changes_what_the_professional_sees(page: Page, browser: Browser, live_servers):
    sign_in(page, live_servers, "taylor")
    page.get_by_role("link", name="Tax Pro Account").click()
    heading = page.get_by_role("heading", name="Create your tax professional profile")
    expect(heading).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "01-pro-profile")
    fill_by_keyboard(
        page,
        heading,
        {
            "designation": "enrolled_agent",
            "license_number": "00123456",
            "organization": "Brooks Tax Services",
            "address_line1": "12 Main Street",
            "city": "Medford",
            "state": "MA",
            "postal_code": "02155",
            "accept_rules": "on",
        },
        submit="",
    )
    expect(page.get_by_text(re.compile(r"Your profile is ready\. Your number is"))).to_be_visible()
    expect(page.get_by_text("No client has authorized you yet.")).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "02-pro-home")

    jordan = persona_of(live_servers, "jordan")
    first, *_middle, last = jordan["name"].split()
    page.get_by_role("link", name="Send an authorization request").last.click()
    heading = page.get_by_role("heading", level=1)
    axe_check(page)
    screenshot(page, FOLDER, "03-request-form")
    choose(page, "Form 1040 income tax")
    fill_by_keyboard(
        page,
        heading,
        {
            "kind": "poa",
            "first_name": first,
            "last_name": last,
            "tin": jordan["tin"],
            **address_answers(jordan),
            "first_year": YEARS[0],
            "last_year": YEARS[1],
        },
        submit="",
    )
    expect(page.get_by_role("heading", name=f"Request for {first} {last}")).to_be_visible()
    expect(page.locator("dt:text-is('Status') + dd")).to_have_text("Waiting for the taxpayer")
    expect(page.get_by_role("heading", name="What you can see")).to_have_count(0)
    request_url = page.url
    axe_check(page)
    screenshot(page, FOLDER, "04-request-pending")

    # Jordan sees the request in her own account and signs it.
    client = new_page(browser)
    sign_in(client, live_servers, "jordan")
    client.get_by_role("link", name="Authorizations").click()
    expect(client.get_by_role("heading", name="Requests waiting for you")).to_be_visible()
    axe_check(client)
    screenshot(client, FOLDER, "05-client-requests")
    client.get_by_role("link", name=re.compile("^Review, sign or reject")).first.click()
    axe_check(client)
    screenshot(client, FOLDER, "06-client-decide")
    client.get_by_role("button", name="Sign and approve").click()  # unsigned: refused, nothing changes
    expect(client.get_by_text("Check the box to sign, or reject the request.").first).to_be_visible()
    axe_check(client)
    client.locator("input[name=sign]").focus()
    client.keyboard.press("Space")
    client.get_by_role("button", name="Sign and approve").focus()
    client.keyboard.press("Enter")
    expect(client.get_by_role("heading", name="Active authorizations")).to_be_visible()
    expect(client.locator("body")).to_contain_text("Brooks")
    axe_check(client)
    screenshot(client, FOLDER, "07-client-active")
    client.get_by_role("button", name="Español").click()
    expect(client.get_by_role("heading", name="Autorizaciones", level=1)).to_be_visible()
    axe_check(client)
    screenshot(client, FOLDER, "08-client-active-es")
    client.context.close()

    # Taylor now sees Jordan's account for the authorized years, and only those.
    page.goto(request_url)
    expect(page.locator("dt:text-is('Status') + dd")).to_have_text("Active")
    expect(page.get_by_role("heading", name="What you can see")).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "09-request-active")
    page.get_by_role("link", name=re.compile(f"Balance and account activity.*{YEARS[1]}")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(YEARS[1])
    axe_check(page)
    screenshot(page, FOLDER, "10-client-year")
    outside = page.url.replace(f"/{YEARS[1]}/", "/2019/")
    assert page.request.get(outside).status == 404
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download the account transcript for {YEARS[1]} (PDF)").click()
    transcript = pdf_text(download.value.path().read_bytes())
    assert f"XXX-XX-{jordan['tin'][-4:]}" in transcript
    assert jordan["tin"] not in transcript
    page.get_by_role("link", name="Back to the authorization").click()
    page.get_by_role("link", name="Back to Tax Pro Account").click()
    expect(page.get_by_role("heading", name="Your clients")).to_be_visible()
    expect(page.get_by_role("heading", name=f"{first} {last}", level=3)).to_be_visible()
    page.get_by_role("button", name="Español").click()
    axe_check(page)
    screenshot(page, FOLDER, "11-pro-home-es")


def test_acting_for_a_business(page: Page, browser: Browser, live_servers):
    chris = sign_in(page, live_servers, "chris")
    page.get_by_role("link", name="Switch account").first.click()
    expect(page.get_by_role("heading", name="Switch account", level=1)).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "12-switch")
    page.get_by_role("link", name="Register as a Designated Official").click()
    heading = page.get_by_role("heading", level=1)
    axe_check(page)
    screenshot(page, FOLDER, "13-register")
    fill_by_keyboard(
        page,
        heading,
        {
            "ein": chris["business"]["ein"],
            "return_form": "1065",
            "postal_code": "02155",
            "title": "Managing member",
            "attestation": "on",
        },
        submit="",
    )
    banner = page.get_by_role("region", name="Account you are acting for")
    expect(banner).to_contain_text("You are acting for Morgan Family Bakery LLC")
    expect(banner).to_contain_text("as Designated Official")
    expect(page.locator("#payoff-heading")).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "14-business-home")

    page.get_by_role("link", name="Payments", exact=True).click()
    expect(page.get_by_role("link", name="Make a payment").first).to_be_visible()
    page.get_by_role("link", name="Notices", exact=True).click()
    expect(page.get_by_role("heading", name="Notices", level=1)).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "15-business-notices")

    # Make Jordan (who has an Online Account) a Designated User.
    jordan = persona_of(live_servers, "jordan")
    page.get_by_role("link", name="Switch account").first.click()
    page.get_by_role("link", name=re.compile("Who can act|Manage who can act")).first.click()
    expect(page.get_by_role("heading", name="Who can act for the business")).to_be_visible()
    axe_check(page)
    choose(page, "Designated User")
    page.get_by_label("Their Social Security number").fill(jordan["tin"])
    page.get_by_label("Their last name").fill(jordan["name"].split()[-1])
    page.get_by_role("button", name="Add").click()
    expect(page.locator("tbody")).to_contain_text("Designated User")
    axe_check(page)
    screenshot(page, FOLDER, "16-people")
    page.get_by_role("button", name="Español").click()
    axe_check(page)
    screenshot(page, FOLDER, "17-people-es")

    user = new_page(browser)
    sign_in(user, live_servers, "jordan")
    user.get_by_role("link", name="Switch account").first.click()
    user.get_by_role("button", name="Act for Morgan Family Bakery LLC").click()
    expect(user.get_by_role("region", name="Account you are acting for")).to_contain_text("as Designated User")
    user.get_by_role("link", name="Payments", exact=True).click()
    expect(user.get_by_role("link", name="Make a payment")).to_have_count(0)
    axe_check(user)
    screenshot(user, FOLDER, "18-designated-user-payments")
    user.context.close()
