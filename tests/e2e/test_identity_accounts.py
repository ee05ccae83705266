"""Identity accounts in a browser: sign up with each kind of second step built so far (an
authentication app with pyotp, text-message codes from the dev outbox, recovery codes),
sign out and back in, with axe on every page."""

from __future__ import annotations

import re

import pyotp
from playwright.sync_api import Page, expect

from tests.e2e.conftest import axe_check, screenshot

PASSWORD = "quiet river bend at dawn"


def latest_code(page: Page, base: str, to: str) -> str:
    page.goto(base + "/dev/outbox/")
    page.get_by_role("row").filter(has_text=to).get_by_role("link").first.click()
    return re.search(r"\b([0-9]{6})\b", page.locator(".taxgov-outbox__body").inner_text()).group(1)


def sign_up(page: Page, base: str, email: str) -> None:
    page.goto(base + "/")
    page.get_by_role("link", name="Create an account").first.click()
    page.get_by_label("Email address").fill(email)
    page.locator("label", has_text="I agree to the Rules of Use").click()
    axe_check(page)
    screenshot(page, "identity-signup", "01-email")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    axe_check(page)
    code = latest_code(page, base, email)
    page.goto(base + "/sign-up/confirm/")
    page.get_by_label("Confirmation code").fill(code)
    page.get_by_role("button", name="Confirm email").click()
    expect(page.get_by_role("heading", name="Create a strong password")).to_be_visible()
    page.get_by_label(re.compile(r"^Password\W*$")).fill(PASSWORD)
    expect(page.get_by_text("Password strength:")).to_be_visible()
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Show password").click()
    expect(page.get_by_label(re.compile(r"^Password\W*$"))).to_have_attribute("type", "text")
    axe_check(page)
    screenshot(page, "identity-signup", "02-password")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Add a second way to sign in")).to_be_visible()
    axe_check(page)
    screenshot(page, "identity-signup", "03-second-step")


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label(re.compile(r"^Password\W*$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()


def test_sign_up_with_an_authentication_app_then_recovery_codes(page: Page, live_servers: dict[str, str]):
    base, email = live_servers["identity"], "app.user@example.com"
    sign_up(page, base, email)
    page.get_by_role("link", name="Set up an app").click()
    expect(page.locator("svg title")).to_have_text("QR code for your authentication app")
    axe_check(page)
    key = page.locator(".taxgov-key").inner_text().replace(" ", "")
    app = pyotp.TOTP(key)
    page.get_by_label("Security code").fill(app.now())
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Add another way to sign in?")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Get recovery codes").click()
    page.get_by_role("button", name="Make my codes").click()
    codes = page.locator(".taxgov-recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    axe_check(page)
    screenshot(page, "identity-signup", "04-recovery-codes")
    page.get_by_role("link", name="I saved my codes").click()
    page.get_by_role("button", name="Continue to my account").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    axe_check(page)
    screenshot(page, "identity-signup", "05-account")

    page.get_by_role("button", name="Sign out").first.click()
    sign_in(page, base, email)
    page.get_by_role("button", name="A recovery code").click()
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()


def test_sign_up_with_text_message_codes_and_remember_the_browser(page: Page, live_servers: dict[str, str]):
    base, email = live_servers["identity"], "text.user@example.com"
    sign_up(page, base, email)
    page.get_by_role("link", name="Add a phone").click()
    page.get_by_label("Phone number").fill("(617) 555-0177")
    axe_check(page)
    page.get_by_role("button", name="Send code").click()
    code = latest_code(page, base, "+16175550177")
    page.goto(base + "/sign-in/verify/")
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("button", name="Continue to my account").click()
    page.get_by_role("button", name="Sign out").first.click()

    sign_in(page, base, email)
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    axe_check(page)
    code = latest_code(page, base, "+16175550177")
    page.goto(base + "/sign-in/verify/")
    page.get_by_label("Security code").fill(code)
    page.locator("label", has_text="Remember this browser").click()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    page.get_by_role("button", name="Sign out").first.click()
    sign_in(page, base, email)
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
