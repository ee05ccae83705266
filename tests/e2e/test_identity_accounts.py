"""Identity accounts in a browser: sign up with each kind of second step built so far (an
authentication app with pyotp, text-message codes from the dev outbox, recovery codes),
sign out and back in, with axe on every page."""

from __future__ import annotations

import re
import time

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
    page.get_by_role("button", name="Set up an app").click()
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
    page.get_by_role("button", name="Authentication App").click()
    page.get_by_label("Security code").fill(app.at(time.time() + 30))  # the setup used this step's code
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()

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

    # Every account page, in English and in Spanish, under axe.
    for path in ("/account/", "/account/history/", "/account/emails/add/", "/security/", "/account/delete/"):
        page.goto(base + path)
        axe_check(page)
    page.get_by_role("button", name="Español").click()
    page.goto(base + "/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Su cuenta")
    axe_check(page)
    screenshot(page, "identity-signup", "06-account-es")
    page.get_by_role("button", name="English").click()


def test_sign_up_with_a_passkey_then_sign_in_with_it(page: Page, live_servers: dict[str, str]):
    """A passkey (face or touch unlock) from Chromium's virtual authenticator, over the
    DevTools protocol: registered at sign-up, then used to sign in."""
    base, email = live_servers["identity"], "passkey.user@example.com"
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    sign_up(page, base, email)
    page.get_by_role("link", name="Add a key").click()
    axe_check(page)
    page.get_by_label("A name for it (optional)").fill("This laptop")
    page.get_by_role("button", name="Use face or touch unlock").click()
    expect(page.get_by_role("heading", name="Add another way to sign in?")).to_be_visible()
    page.get_by_role("button", name="Continue to my account").click()
    expect(page.get_by_text("This laptop")).to_be_visible()

    page.get_by_role("button", name="Sign out").first.click()
    sign_in(page, base, email)
    expect(page.get_by_role("heading", name="Use your security key")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Use your security key").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()


def test_lockout_password_reset_lost_phone_and_delete(page: Page, live_servers: dict[str, str]):
    base, email = live_servers["identity"], "phone.loser@example.com"
    sign_up(page, base, email)
    page.get_by_role("link", name="Add a phone").click()
    page.get_by_label("Phone number").fill("(617) 555-0188")
    page.get_by_role("button", name="Send code").click()
    code = latest_code(page, base, "+16175550188")
    page.goto(base + "/sign-in/verify/")
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("link", name="Get recovery codes").click()
    page.get_by_role("button", name="Make my codes").click()
    codes = page.locator(".taxgov-recovery-codes code").all_inner_texts()
    page.get_by_role("link", name="I saved my codes").click()
    page.get_by_role("button", name="Continue to my account").click()
    page.get_by_role("button", name="Sign out").first.click()

    # Ten wrong passwords in a row lock the account for a while, and the page says for how long.
    for _ in range(10):
        page.goto(base + "/sign-in/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label(re.compile(r"^Password\W*$")).fill("not my password at all")
        page.get_by_role("button", name="Sign in").last.click()
    sign_in(page, base, email)
    expect(page.get_by_role("alert")).to_contain_text("Too many sign-in attempts")
    axe_check(page)

    # A reset link from the outbox: new password (the lock is lifted), then the lost phone.
    page.goto(base + "/password/forgot/")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send the link").click()
    page.goto(base + "/dev/outbox/")
    page.get_by_role("row").filter(has_text="Reset your").get_by_role("link").first.click()
    page.locator("a[href*='/password/reset/']").first.click()
    new_password = "a lantern over the harbor"
    page.get_by_label(re.compile(r"^Password\W*$")).fill(new_password)
    page.get_by_label("Confirm password").fill(new_password)
    axe_check(page)
    page.get_by_role("button", name="Change password").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label(re.compile(r"^Password\W*$")).fill(new_password)
    page.get_by_role("button", name="Sign in").last.click()
    page.get_by_role("button", name="A recovery code").click()
    page.get_by_label("Recovery code").fill(codes[3])
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()

    page.get_by_role("link", name="Delete my account").click()
    axe_check(page)
    page.locator("label", has_text="I understand my account").click()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Your account was deleted")).to_be_visible()


def test_sign_in_works_with_the_keyboard_alone(page: Page, live_servers: dict[str, str]):
    page.goto(live_servers["identity"] + "/sign-in/")
    page.get_by_label("Email address").focus()
    page.keyboard.type("nobody.here@example.com")
    page.keyboard.press("Tab")
    expect(page.get_by_label(re.compile(r"^Password\W*$"))).to_be_focused()
    page.keyboard.type("some long passphrase")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("The email or password is not right")
    expect(page.get_by_role("alert")).to_be_focused()
