"""Files that are no usable photo, chosen in a browser: a PDF named .jpg, and a few hundred
bytes of PNG claiming 50,000 by 50,000 pixels. Each is refused with its code and help page
(the other refusals are in test_identity_verification.py and test_identity_verify_by_mail.py)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.e2e.test_identity_accounts import sign_up
from tests.e2e.test_identity_verification import refused, to_the_photos, with_an_app
from tests.support.uploads import pdf, png_claiming


def test_a_file_that_is_no_photo_and_a_decompression_bomb_are_refused(camera_page: Page, live_servers, tmp_path: Path):
    page, base = camera_page, live_servers["identity"]
    sign_up(page, base, "verify.files@example.com")
    with_an_app(page)
    to_the_photos(page, base, "U.S. passport")
    refused(page, tmp_path, {"page": pdf()}, "IDV-IMG-001")
    refused(page, tmp_path, {"page": png_claiming(50_000, 50_000)}, "IDV-IMG-002")
