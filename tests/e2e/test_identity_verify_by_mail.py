"""Identity verification in a browser, the paths that go wrong: a selfie that is someone
else, one that turns the wrong way and one with no face; details the records do not know; a
phone not in the person's name and a wrong code; then verify by mail, with a wrong, an
expired and a too-early letter, to the end. A second account then meets the SSN already
verified, and a third the document errors the first browser tests do not produce."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, Page, Playwright, expect

from tests.e2e.conftest import axe_check, launch_with_camera, screenshot
from tests.e2e.test_identity_accounts import PASSWORD, sign_up
from tests.e2e.test_identity_verification import (
    RECORD,
    open_help,
    photo_files,
    refused,
    to_the_photos,
    with_an_app,
)
from tests.support.documents import (
    SAMPLE_ELEMENTS,
    card_back_photo,
    card_file,
    card_front_photo,
    fake_camera_video,
    passport_page_photo,
    passport_zone,
    sample_face,
)

SSN, PHONE = "900123460", "+16175550127"
MAIL_RECORD = RECORD.replace("900123456", SSN).replace("+16175550123", PHONE)
SET_TURN = (
    "from taxgov.identity.verification.models import Verification as V; "
    "V.objects.filter(user__email={email!r}, outcome='in_progress').update(turn={turn!r})"
)
AGE_LETTERS = """
import datetime as dt
from django.utils import timezone
from taxgov.identity.verification.models import MailedCode, Verification
now = timezone.now()
Verification.objects.filter(user__email={email!r}).update(details_given_at=now - dt.timedelta(days=23))
MailedCode.objects.filter(verification__user__email={email!r}).update(
    sent_at=now - dt.timedelta(days=22), expires_at=now - dt.timedelta(days={expired_days}))
"""


def to_the_selfie(page: Page, base: str, front: bytes, back: bytes, folder: Path) -> None:
    to_the_photos(page, base, "Driver's license")
    upload_card(page, front, back, folder)


def upload_card(page: Page, front: bytes, back: bytes, folder: Path) -> None:
    (folder / "front.jpg").write_bytes(front)
    (folder / "back.png").write_bytes(back)
    page.locator("input[name=front]").set_input_files(folder / "front.jpg")
    page.locator("input[name=back]").set_input_files(folder / "back.png")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Take a live selfie")).to_be_visible(timeout=20_000)


def fill_details(page: Page, ssn: str) -> None:
    page.get_by_label(re.compile(r"^Social Security number or ITIN")).fill(ssn)
    page.get_by_label(re.compile(r"^Date of birth")).fill("03/15/1988")
    page.get_by_role("button", name="Next").click()


def latest_letter(page: Page, base: str) -> str:
    page.goto(base + "/dev/outbox/")
    page.get_by_role("row").filter(has_text="Worcester").get_by_role("link").first.click()
    expect(page.get_by_role("link", name="Download the letter as printed (PDF)")).to_be_visible()
    text = page.locator(".taxgov-outbox__body").inner_text()
    return re.search(r"Your code: ([0-9A-Z]{5}-[0-9A-Z]{5})", text).group(1)


def no_face_selfie(playwright_instance: Playwright, page: Page, base: str, folder: Path) -> None:
    """The same session in a browser whose camera sees an empty room."""
    video = folder / "empty.y4m"
    fake_camera_video(video, None, 0)
    browser = launch_with_camera(playwright_instance, video)
    try:
        session = page.context.storage_state()
        context = browser.new_context(locale="en-US", permissions=["camera"], storage_state=session)
        empty = context.new_page()
        empty.goto(base + "/verify/steps/selfie/")
        empty.get_by_role("button", name="Start the selfie").click()
        open_help(empty, "IDV-FACE-001")
    finally:
        browser.close()


def test_selfie_records_and_phone_errors_then_verified_by_mail(
    camera_browser: Browser, playwright_instance: Playwright, live_servers, tmp_path: Path
):
    base, email = live_servers["identity"], "verify.mail@example.com"
    live_servers.manage("identity", "shell", "-c", MAIL_RECORD)
    context = camera_browser.new_context(locale="en-US", permissions=["camera"])
    page = context.new_page()
    sign_up(page, base, email)
    with_an_app(page)

    # Someone else's photo on the licence: the live selfie does not match it.
    back = card_back_photo(card_file(SAMPLE_ELEMENTS))
    to_the_selfie(page, base, card_front_photo(sample_face("hopper")), back, tmp_path)
    page.get_by_role("button", name="Start the selfie").click()
    open_help(page, "IDV-FACE-003")

    # The right photos; then a head turned the other way than asked, and a camera with no face.
    page.goto(base + "/verify/steps/photos/")
    front, back_path = photo_files(tmp_path)
    upload_card(page, front.read_bytes(), back_path.read_bytes(), tmp_path)
    live_servers.manage("identity", "shell", "-c", SET_TURN.format(email=email, turn="right"))
    page.reload()
    expect(page.get_by_text("When asked, turn your head to your right.")).to_be_visible()
    page.get_by_role("button", name="Start the selfie").click()
    open_help(page, "IDV-FACE-002")
    live_servers.manage("identity", "shell", "-c", SET_TURN.format(email=email, turn="left"))
    no_face_selfie(playwright_instance, page, base, tmp_path)
    page.reload()
    page.get_by_role("button", name="Start the selfie").click()
    expect(page.get_by_role("heading", name="Your details")).to_be_visible(timeout=20_000)

    # Details the records do not have, then the right ones.
    fill_details(page, "900-12-9999")
    open_help(page, "IDV-REC-001")
    fill_details(page, "900-12-3460")

    # A phone that is not in the person's name; then theirs, and a wrong code.
    expect(page.get_by_role("heading", name="Confirm your phone number")).to_be_visible()
    page.get_by_label(re.compile(r"^Phone number")).fill("(617) 555-0199")
    page.get_by_role("button", name="Next").click()
    open_help(page, "IDV-PHN-001")
    page.get_by_label(re.compile(r"^Phone number")).fill("(617) 555-0127")
    page.get_by_role("button", name="Next").click()
    page.goto(base + "/verify/steps/code/")
    page.get_by_label(re.compile(r"^One-time code")).fill("000000")
    page.get_by_role("button", name="Next").click()
    open_help(page, "IDV-PHN-002")

    # No code by text: a letter by mail instead, from the help page.
    page.get_by_role("link", name="More about error IDV-PHN-002").click()
    page.get_by_role("button", name="Get a letter by mail instead").click()
    expect(page.get_by_role("heading", name="Get a letter with a code")).to_be_visible()
    expect(page.get_by_text("12 Elm Street")).to_be_visible()
    axe_check(page)
    screenshot(page, "identity-verify-mail", "01-letter")
    page.get_by_role("button", name="Send the letter").click()
    expect(page.get_by_role("heading", name="Enter the code from your letter")).to_be_visible()
    axe_check(page)
    screenshot(page, "identity-verify-mail", "02-letter-code")

    # A second letter the same day is refused; a code from no letter is wrong.
    page.get_by_role("link", name="Did not get the letter? Send another").click()
    expect(page.get_by_text("Mailed on")).to_be_visible()
    page.get_by_role("button", name="Send another letter").click()
    open_help(page, "IDV-MAIL-003")
    page.goto(base + "/verify/by-mail/steps/letter-code/")
    page.get_by_label(re.compile(r"^Code from your letter")).fill("7K3QX-9MWD2")
    page.get_by_role("button", name="Next").click()
    open_help(page, "IDV-MAIL-001")

    # The letter's code, once it has expired, then within its time.
    code = latest_letter(page, base)
    screenshot(page, "identity-verify-mail", "03-outbox-letter")
    live_servers.manage("identity", "shell", "-c", AGE_LETTERS.format(email=email, expired_days=1))
    page.goto(base + "/verify/by-mail/steps/letter-code/")
    page.get_by_label(re.compile(r"^Code from your letter")).fill(code)
    page.get_by_role("button", name="Next").click()
    open_help(page, "IDV-MAIL-002")
    live_servers.manage("identity", "shell", "-c", AGE_LETTERS.format(email=email, expired_days=-1))
    page.goto(base + "/verify/")
    expect(page.get_by_text("We mailed you a letter with a code on")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Continue where you left off").click()
    page.get_by_label(re.compile(r"^Code from your letter")).fill(code.lower())
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Re-enter your password")).to_be_visible()
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Check and finish")).to_be_visible()
    expect(page.get_by_text("Letter sent")).to_be_visible()
    axe_check(page)
    screenshot(page, "identity-verify-mail", "04-finish")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="You verified your identity")).to_be_visible()
    context.close()

    # Another account with the same SSN is refused once the records match.
    context = camera_browser.new_context(locale="en-US", permissions=["camera"])
    page = context.new_page()
    sign_up(page, base, "verify.mail.again@example.com")
    with_an_app(page)
    to_the_selfie(page, base, front.read_bytes(), back_path.read_bytes(), tmp_path)
    page.get_by_role("button", name="Start the selfie").click()
    expect(page.get_by_role("heading", name="Your details")).to_be_visible(timeout=20_000)
    fill_details(page, "900-12-3460")
    open_help(page, "IDV-REC-002")
    context.close()


def test_document_errors_of_passports_and_cards(camera_browser: Browser, live_servers, tmp_path: Path):
    """A passport page with no zone, with a wrong check digit, and blurred; a card's back cut
    off by the photo's edge, and a front with no portrait."""
    base = live_servers["identity"]
    context = camera_browser.new_context(locale="en-US", permissions=["camera"])
    page = context.new_page()
    sign_up(page, base, "verify.documents@example.com")
    with_an_app(page)
    to_the_photos(page, base, "U.S. passport")

    face = sample_face("astronaut")
    zone = passport_zone()
    first, second = zone.splitlines()
    wrong_digit = first + "\n" + second.replace("A12345678", "A12345679", 1)
    refused(page, tmp_path, {"page": card_front_photo(face)}, "IDV-DOC-003")
    refused(page, tmp_path, {"page": passport_page_photo(wrong_digit, jpeg=90)}, "IDV-DOC-004")
    refused(page, tmp_path, {"page": passport_page_photo(zone, blur=5, jpeg=90)}, "IDV-DOC-007")

    page.goto(base + "/verify/steps/document/")
    page.locator("label", has_text="Driver's license").click()
    page.get_by_role("button", name="Next").click()
    photo = Image.open(io.BytesIO(card_back_photo(card_file(SAMPLE_ELEMENTS))))
    cut = io.BytesIO()
    photo.crop((0, 0, 1016, photo.height)).save(cut, format="PNG")  # the barcode ends at x = 1014
    refused(page, tmp_path, {"front": card_front_photo(face), "back": cut.getvalue()}, "IDV-DOC-009")
    no_portrait = card_front_photo(Image.new("RGB", (600, 750), (200, 180, 160)))
    refused(page, tmp_path, {"front": no_portrait, "back": card_back_photo(card_file(SAMPLE_ELEMENTS))}, "IDV-DOC-010")
    context.close()
