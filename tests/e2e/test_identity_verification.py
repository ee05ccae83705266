"""Identity verification in a browser: a new account verifies with a driver's license and
a live selfie taken by Chromium's fake camera (a video of a head turning), with axe on every
page, then a passport through the same pages."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import axe_check, screenshot
from tests.e2e.test_identity_accounts import PASSWORD, latest_code, sign_up
from tests.support.documents import (
    SAMPLE_ELEMENTS,
    card_back_photo,
    card_file,
    card_front_photo,
    passport_page_photo,
    passport_zone,
    sample_face,
)

RECORD = """
import datetime as dt
from taxgov.identity.records import fingerprints
from taxgov.identity.records.models import PersonRecord, PhoneRecord
person = PersonRecord.objects.create(
    tin_fingerprint=fingerprints.tin_fingerprint("900123456"), tin="900123456", tin_type="ssn",
    first_name="Alex", middle_name="Jordan", last_name="Rivera", date_of_birth="1988-03-15",
    address_line1="12 Elm Street", address_line2="Apt 4", city="Worcester", state="MA", postal_code="01609")
PhoneRecord.objects.create(
    number_fingerprint=fingerprints.phone_fingerprint("+16175550123"), number="+16175550123", person=person,
    carrier="Demo Wireless", kind="mobile", owned_since=dt.date(2015, 1, 1), in_own_name=True)
"""


def photo_files(folder: Path) -> tuple[Path, Path]:
    front, back = folder / "front.jpg", folder / "back.png"
    front.write_bytes(card_front_photo(sample_face("astronaut"), angle=2))
    back.write_bytes(card_back_photo(card_file(SAMPLE_ELEMENTS), angle=-6))
    return front, back


def to_the_photos(page: Page, base: str, document: str) -> None:
    """Agree to the terms and choose ``document`` (its label), reaching the photos step."""
    page.goto(base + "/verify/steps/consent/")
    page.locator("label", has_text="I agree").click()
    page.get_by_role("button", name="Next").click()
    page.locator("label", has_text=document).click()
    page.get_by_role("button", name="Next").click()


def with_an_app(page: Page) -> None:
    import pyotp

    page.get_by_role("button", name="Set up an app").click()
    key = page.locator(".taxgov-key").inner_text().replace(" ", "")
    page.get_by_label("Security code").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Add another way to sign in?")).to_be_visible()
    page.get_by_role("button", name="Continue to my account").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()


def test_verify_with_a_licence_and_a_live_selfie(camera_page: Page, live_servers, tmp_path: Path):
    page, base = camera_page, live_servers["identity"]
    live_servers.manage("identity", "shell", "-c", RECORD)
    sign_up(page, base, "verify.licence@example.com")
    with_an_app(page)

    page.goto(base + "/verify/")
    axe_check(page)
    screenshot(page, "identity-verify", "01-start")
    page.get_by_role("link", name="Start").click()
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    axe_check(page)
    screenshot(page, "identity-verify", "02-consent")
    page.locator("label", has_text="I agree").click()
    page.get_by_role("button", name="Next").click()

    page.locator("label", has_text="Driver's license").click()
    axe_check(page)
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("heading", name="Add photos of your ID")).to_be_visible()
    expect(page.get_by_role("button", name="Use your camera").first).to_be_visible()
    axe_check(page)
    screenshot(page, "identity-verify", "03-photos")
    front, back = photo_files(tmp_path)
    page.locator("input[name=front]").set_input_files(front)  # USWDS wraps the file inputs
    page.locator("input[name=back]").set_input_files(back)
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("heading", name="Take a live selfie")).to_be_visible()
    expect(page.get_by_text("When asked, turn your head to your left.")).to_be_visible()
    axe_check(page)
    screenshot(page, "identity-verify", "04-selfie")
    page.get_by_role("button", name="Start the selfie").click()
    expect(page.get_by_role("heading", name="Your details")).to_be_visible(timeout=20_000)

    expect(page.get_by_label(re.compile(r"^Street address"))).to_have_value("12 Elm Street")
    axe_check(page)
    screenshot(page, "identity-verify", "05-details")
    page.get_by_label(re.compile(r"^Social Security number or ITIN")).fill("900-12-3456")
    page.get_by_label(re.compile(r"^Date of birth")).fill("03/15/1988")
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("heading", name="Confirm your phone number")).to_be_visible()
    axe_check(page)
    page.get_by_label(re.compile(r"^Phone number")).fill("(617) 555-0123")
    page.get_by_role("button", name="Next").click()
    code = latest_code(page, base, "+16175550123")
    page.goto(base + "/verify/steps/code/")
    axe_check(page)
    page.get_by_label(re.compile(r"^One-time code")).fill(code)
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("heading", name="Re-enter your password")).to_be_visible()
    axe_check(page)
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("heading", name="Check and finish")).to_be_visible()
    axe_check(page)
    screenshot(page, "identity-verify", "06-finish")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="You verified your identity")).to_be_visible()
    axe_check(page)
    screenshot(page, "identity-verify", "07-done")


def test_an_error_page_in_english_and_spanish(camera_page: Page, live_servers):
    page, base = camera_page, live_servers["identity"]
    sign_up(page, base, "verify.help@example.com")
    with_an_app(page)
    page.goto(base + "/verify/help/IDV-DOC-008/")
    expect(page.get_by_role("heading", name="We could not verify this step")).to_be_visible()
    axe_check(page)
    screenshot(page, "identity-verify", "08-help")
    page.get_by_role("button", name="Español").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    axe_check(page)
    screenshot(page, "identity-verify", "09-help-es")


PASSPORT_RECORD = RECORD.replace("900123456", "900123458").replace("+16175550123", "+16175550125")


def test_verify_with_a_passport_and_a_live_selfie(camera_page: Page, live_servers, tmp_path: Path):
    """A passport's photo page (read by OCR), the same live selfie, details typed in full
    (a passport has no address), a phone code, the password."""
    page, base = camera_page, live_servers["identity"]
    live_servers.manage("identity", "shell", "-c", PASSPORT_RECORD)
    sign_up(page, base, "verify.passport@example.com")
    with_an_app(page)
    page.goto(base + "/verify/")
    page.get_by_role("link", name="Start").click()
    page.locator("label", has_text="I agree").click()
    page.get_by_role("button", name="Next").click()
    page.locator("label", has_text="U.S. passport").click()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Add photos of your ID")).to_be_visible()
    photo = tmp_path / "passport.jpg"
    photo.write_bytes(passport_page_photo(passport_zone(), angle=3, jpeg=85))
    page.locator("input[name=page]").set_input_files(photo)
    axe_check(page)
    screenshot(page, "identity-verify", "10-passport-photo")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Take a live selfie")).to_be_visible(timeout=20_000)
    page.get_by_role("button", name="Start the selfie").click()
    expect(page.get_by_role("heading", name="Your details")).to_be_visible(timeout=20_000)
    expect(page.get_by_label(re.compile(r"^Last name"))).to_have_value("Rivera")
    page.get_by_label(re.compile(r"^Social Security number or ITIN")).fill("900-12-3458")
    page.get_by_label(re.compile(r"^Date of birth")).fill("03/15/1988")
    page.get_by_label(re.compile(r"^Street address")).fill("12 Elm Street")
    page.get_by_label(re.compile(r"^Apartment")).fill("Apt 4")
    page.get_by_label(re.compile(r"^City")).fill("Worcester")
    page.get_by_label(re.compile(r"^State")).select_option("MA")
    page.get_by_label(re.compile(r"^ZIP code")).fill("01609")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Confirm your phone number")).to_be_visible()
    page.get_by_label(re.compile(r"^Phone number")).fill("(617) 555-0125")
    page.get_by_role("button", name="Next").click()
    code = latest_code(page, base, "+16175550125")
    page.goto(base + "/verify/steps/code/")
    page.get_by_label(re.compile(r"^One-time code")).fill(code)
    page.get_by_role("button", name="Next").click()
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Check and finish")).to_be_visible()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="You verified your identity")).to_be_visible()
    axe_check(page)
    screenshot(page, "identity-verify", "11-passport-done")


def refused(page: Page, folder: Path, files: dict[str, bytes], code: str, *, button: str = "Next") -> None:
    """Submit the step with these photos (by input name), expect the error ``code``, follow
    its link to the help page, check both pages, and come back to the step."""
    for name, content in files.items():
        suffix = ".png" if content.startswith(b"\x89PNG") else ".jpg"
        path = folder / f"{code}-{name}{suffix}"
        path.write_bytes(content)
        page.locator(f"input[name={name}]").set_input_files(path)
    page.get_by_role("button", name=button).click()
    open_help(page, code)


def open_help(page: Page, code: str) -> None:
    link = page.get_by_role("link", name=f"More about error {code}")
    expect(link).to_be_visible(timeout=20_000)
    axe_check(page)
    screenshot(page, "identity-verify-errors", f"{code}-step")
    link.click()
    expect(page.get_by_role("heading", name="We could not verify this step")).to_be_visible()
    expect(page.get_by_text(f"Error code: {code}")).to_be_visible()
    expect(page.get_by_role("button", name="Talk to an agent on a video call")).to_be_visible()
    axe_check(page)
    page.go_back()


def test_refused_documents_show_their_code_and_help_page_then_the_limit(camera_page: Page, live_servers, tmp_path):
    """Five refused attempts at the photos step, each with its own code and help page; the
    sixth attempt is over the limit. Then every documented code's help page."""
    from taxgov.identity.verification.errors import ERRORS
    from tests.support.documents import card_back_photo, card_front_photo, jpeg

    page, base = camera_page, live_servers["identity"]
    sign_up(page, base, "verify.errors@example.com")
    with_an_app(page)
    to_the_photos(page, base, "Driver's license")
    face = sample_face("astronaut")
    front = card_front_photo(face)
    without_birth_date = {key: value for key, value in SAMPLE_ELEMENTS.items() if key != "DBB"}
    attempts = [
        ("glare", front, card_back_photo(card_file(SAMPLE_ELEMENTS), glare=True), "IDV-DOC-008"),
        ("no-birth-date", front, card_back_photo(card_file(without_birth_date)), "IDV-DOC-002"),
        ("expired", front, card_back_photo(card_file({**SAMPLE_ELEMENTS, "DBA": "01012020"})), "IDV-DOC-005"),
        ("small", jpeg(face.resize((300, 300))), card_back_photo(card_file(SAMPLE_ELEMENTS)), "IDV-DOC-006"),
        ("no-barcode", front, card_front_photo(sample_face("hopper")), "IDV-DOC-001"),
        ("limit", front, card_back_photo(card_file(SAMPLE_ELEMENTS)), "IDV-LIM-001"),
    ]
    for _name, front_photo, back_photo, code in attempts:
        refused(page, tmp_path, {"front": front_photo, "back": back_photo}, code)

    for code in ERRORS:
        page.goto(f"{base}/verify/help/{code}/")
        expect(page.get_by_text(f"Error code: {code}")).to_be_visible()
        expect(page.get_by_text(str(ERRORS[code].what_to_do))).to_be_visible()
        axe_check(page)
