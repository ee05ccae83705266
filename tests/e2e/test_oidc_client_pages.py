"""A client manager at work: the staff pages that register an agency's client, show its
secret once, and disable it; in English and Spanish, keyboard only where it counts, axe on
every page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import axe_check, screenshot
from tests.e2e.test_identity_accounts import sign_up
from tests.e2e.test_identity_verification import with_an_app

FOLDER = "identity-oidc-clients"


def test_a_client_manager_registers_and_disables_a_client(page: Page, live_servers):
    base = live_servers["identity"]
    sign_up(page, base, "client.admin@example.com")
    with_an_app(page)
    live_servers.manage("identity", "staff_role", "client.admin@example.com", "client-admin")
    page.goto(base + "/account/")
    page.get_by_role("link", name="OpenID Connect clients").click()
    expect(page.get_by_role("heading", name="OpenID Connect clients")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Federal Revenue Service")).to_contain_text("Enabled")
    axe_check(page)
    screenshot(page, FOLDER, "01-clients")

    register = page.get_by_role("link", name="Register a client")
    for _ in range(60):  # keyboard only: Tab to the link, Enter to follow it
        page.keyboard.press("Tab")
        if register.evaluate("link => link === document.activeElement"):
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Register a client")).to_be_visible()
    page.get_by_role("button", name="Register the client").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "02-errors")

    page.get_by_label("Client ID").fill("urn:gov:city:permits")
    page.get_by_label("Agency name").fill("City Permits Office")
    page.locator("label", has_text="Client secret (client_secret_basic)").click()
    page.get_by_label("Redirect URIs").fill("https://[2001:db8::7]/callback")
    page.locator("label", has_text="openid").click()
    page.locator("label", has_text="Signed in with a second step").click()
    page.get_by_role("button", name="Register the client").click()
    expect(page.get_by_text("use a host name, not an IPv6 address").first).to_be_visible()
    page.get_by_label("Redirect URIs").fill("https://permits.city.example/callback")
    page.get_by_role("button", name="Register the client").click()
    expect(page.get_by_role("heading", name="The client secret of City Permits Office")).to_be_visible()
    assert len(page.get_by_test_id("client-secret").inner_text()) >= 40
    axe_check(page)
    screenshot(page, FOLDER, "03-secret")

    page.get_by_role("link", name="Done").click()
    row = page.get_by_role("row").filter(has_text="City Permits Office")
    row.get_by_role("button", name="Disable City Permits Office").click()
    expect(page.get_by_text("City Permits Office is disabled.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="City Permits Office")).to_contain_text("Disabled")
    axe_check(page)
    screenshot(page, FOLDER, "04-disabled")

    page.get_by_role("link", name="City Permits Office").click()
    expect(page.get_by_text("This client is disabled")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Español").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    axe_check(page)
    screenshot(page, FOLDER, "05-change-es")
    page.goto(base + "/staff/clients/")
    axe_check(page)
    screenshot(page, FOLDER, "06-clients-es")
