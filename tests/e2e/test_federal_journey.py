"""Seeds 002 to 004 end to end: Alex Rivera (a demo persona in the federal ledger and in the
identity records) opens the federal Online Account, signs in at the identity provider with a
password and an authentication app, verifies their identity on first use, allows the agency,
creates their profile, and reads a payoff amount equal to ``manage.py payoff --taxpayer``.
Then signs out of both. axe runs on every page; screenshots go to test-artifacts/federal-journey/.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pyotp
from playwright.sync_api import Page, expect

from tests.e2e.conftest import axe_check, screenshot
from tests.e2e.federal import persona_of
from tests.e2e.test_identity_accounts import PASSWORD, latest_code, sign_up
from tests.support.documents import SAMPLE_ELEMENTS, card_back_photo, card_file, card_front_photo, sample_face

FOLDER = "federal-journey"


def alex(live_servers: Any) -> dict[str, Any]:
    return persona_of(live_servers, "alex")


def licence_photos(persona: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    """Alex's driver's license: the sample card with the persona's name, birth date and address."""
    street, city, state_zip = (part.strip() for part in persona["address"].split(","))
    state, postal = state_zip.split()
    born = dt.date.fromisoformat(persona["date_of_birth"])
    first, *_middle, last = persona["name"].split()
    elements = {key: value for key, value in SAMPLE_ELEMENTS.items() if key != "DAH"}
    elements.update(
        DCS=last.upper(),
        DAC=first.upper(),
        DAD="NONE",
        DBB=born.strftime("%m%d%Y"),
        DAG=street.upper(),
        DAI=city.upper(),
        DAJ=state,
        DAK=postal + "0000",
    )
    front, back = folder / "front.jpg", folder / "back.png"
    front.write_bytes(card_front_photo(sample_face("astronaut"), angle=2))
    back.write_bytes(card_back_photo(card_file(elements), angle=-6))
    return front, back


def create_identity_account(page: Page, base: str, email: str) -> pyotp.TOTP:
    """Alex makes an account at the identity provider with an authentication app, then signs out."""
    sign_up(page, base, email)
    page.get_by_role("button", name="Set up an app").click()
    app = pyotp.TOTP(page.locator(".taxgov-key").inner_text().replace(" ", ""))
    page.get_by_label("Security code").fill(app.now())
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("button", name="Continue to my account").click()
    page.get_by_role("button", name="Sign out").first.click()
    return app


def verify_identity(page: Page, base: str, persona: dict[str, Any], folder: Path) -> None:
    """The self-service steps with Alex's license, the fake camera's selfie and a code to Alex's phone."""
    page.get_by_role("link", name="Start").click()
    page.locator("label", has_text="I agree").click()
    page.get_by_role("button", name="Next").click()
    page.locator("label", has_text="Driver's license").click()
    page.get_by_role("button", name="Next").click()
    front, back = licence_photos(persona, folder)
    page.locator("input[name=front]").set_input_files(front)
    page.locator("input[name=back]").set_input_files(back)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Take a live selfie")).to_be_visible(timeout=20_000)
    page.get_by_role("button", name="Start the selfie").click()
    expect(page.get_by_role("heading", name="Your details")).to_be_visible(timeout=20_000)
    born = dt.date.fromisoformat(persona["date_of_birth"])
    page.get_by_label(re.compile(r"^Social Security number or ITIN")).fill(persona["tin"])
    page.get_by_label(re.compile(r"^Date of birth")).fill(born.strftime("%m/%d/%Y"))
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Confirm your phone number")).to_be_visible()
    phone = persona["mobile_phone"]
    page.get_by_label(re.compile(r"^Phone number")).fill(phone[2:])
    page.get_by_role("button", name="Next").click()
    code = latest_code(page, base, phone)
    page.goto(base + "/verify/steps/code/")
    page.get_by_label(re.compile(r"^One-time code")).fill(code)
    page.get_by_role("button", name="Next").click()
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="You verified your identity")).to_be_visible()


def test_sign_in_verify_consent_profile_and_the_payoff(camera_page: Page, live_servers, tmp_path: Path):
    page, identity, federal = camera_page, live_servers["identity"], live_servers["federal"]
    persona = alex(live_servers)
    app = create_identity_account(page, identity, "alex.rivera@example.net")

    # The federal Online Account's landing page sends Alex to sign in at the identity provider.
    page.goto(federal + "/")
    axe_check(page)
    screenshot(page, FOLDER, "01-federal-home")
    page.get_by_role("link", name="Sign in or create account").first.click()
    expect(page).to_have_url(re.compile(re.escape(identity) + r"/sign-in/\?next=%2Fopenid%2Fauthorize"))
    axe_check(page)
    screenshot(page, FOLDER, "02-identity-sign-in")
    page.get_by_label("Email address").fill("alex.rivera@example.net")
    page.get_by_label(re.compile(r"^Password\W*$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    page.get_by_label("Security code").fill(app.at(dt.datetime.now(tz=dt.UTC).timestamp() + 30))
    page.get_by_role("button", name="Submit").click()

    # First use: the agency asks for a verified identity, so Alex verifies, then goes back.
    expect(page.get_by_text("Federal Revenue Service needs to know it is really you")).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "03-verify-for-the-agency")
    verify_identity(page, identity, persona, tmp_path)
    axe_check(page)
    screenshot(page, FOLDER, "04-verified")
    page.get_by_role("link", name="Continue to Federal Revenue Service").click()

    expect(page.get_by_role("heading", name="Allow Federal Revenue Service to use your account")).to_be_visible()
    expect(page.get_by_text("Your Social Security number")).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "05-consent")
    page.get_by_role("button", name="Allow", exact=True).click()

    # Back at the federal account: the profile is matched to Alex's tax records.
    expect(page.get_by_role("heading", name="Complete your profile")).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(federal)))
    axe_check(page)
    screenshot(page, FOLDER, "06-create-profile")
    page.get_by_role("button", name="Create my profile").click()

    expect(page.get_by_role("heading", name="Payoff amount")).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "07-account-home")
    today = dt.datetime.now(tz=dt.UTC).astimezone().date().isoformat()
    expected = json.loads(
        live_servers.manage("federal", "payoff", "--taxpayer", persona["tin"].replace("-", ""), "--as-of", today)
    )["total"]
    shown = page.locator("#payoff-heading ~ p.font-heading-2xl").first.inner_text()
    assert shown.replace("$", "").replace(",", "") == expected

    # The identity provider lists the agency; signing out of the federal account signs out of both.
    page.get_by_role("button", name="Sign out").first.click()
    expect(page.get_by_role("heading", name="You signed out")).to_be_visible()
    expect(page.get_by_text("You signed out of your online account and of your sign-in account.")).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "08-signed-out")
    page.goto(identity + "/account/")
    expect(page).to_have_url(re.compile(r"/sign-in/"))
