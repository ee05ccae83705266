"""Records and notices in the federal Online Account: Jordan Lee downloads the return, account,
record-of-account and wage-and-income transcripts and finds their contents with the
identity-theft masking (only the last four digits of the SSN, the start of the name and
street); Pat Kim, who has not filed last year's return, downloads a verification of
non-filing, then reads a notice, downloads it as PDF, and it shows as read. Every page is
checked with axe, in English and Spanish."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import axe_check, screenshot
from tests.e2e.federal import choose, download_transcript, pdf_text, sign_in, transcript_years

FOLDER = "federal-records"
CUSTOMER_FILE_NUMBER = "4455667788"


def assert_masked(text: str, persona: dict[str, Any]) -> None:
    """The SSN, last name and street never in full; their masked forms instead."""
    tin = persona["tin"]
    assert tin not in text
    assert tin.replace("-", "") not in text
    assert f"XXX-XX-{tin[-4:]}" in text
    last_name = persona["name"].split()[-1]
    assert not re.search(rf"\b{last_name}\b", text), f"{last_name} in full"
    street = persona["address"].split(",")[0]
    assert street not in text
    assert street[:6] + "XXXX" in text


def test_the_five_transcripts_download_masked(page: Page, live_servers):
    persona = sign_in(page, live_servers, "jordan")
    page.get_by_role("link", name="Records and Status").click()
    expect(page.get_by_role("heading", name="Records and Status", level=1)).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "01-records")
    page.get_by_role("link", name=re.compile("^Get a transcript")).first.click()
    expect(page.get_by_role("heading", name="Transcripts", level=1)).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "02-transcripts")

    expected = {
        "Tax return transcript": ("Tax return transcript", "Adjusted gross income"),
        "Tax account transcript": ("Tax account transcript", r"\b150\b"),
        "Record of account": ("Record of account", "Adjusted gross income"),
        "Wage and income transcript": ("Wage and income transcript", r"(W-2|1099|1098|5498)"),
    }
    for number, (kind, (title, line)) in enumerate(expected.items(), start=3):
        years = transcript_years(page, kind)
        assert years, f"no year for {kind}"
        text = download_transcript(page, kind, years[0], CUSTOMER_FILE_NUMBER if number == 3 else "")
        assert title.lower() in text.lower(), (kind, text[:400])
        assert str(years[0]) in text
        assert re.search(line, text), (kind, line)
        assert_masked(text, persona)
        if number == 3:
            assert CUSTOMER_FILE_NUMBER in text

    # Jordan filed every year, so no verification of non-filing can be made: the page says why.
    choose(page, "Verification of non-filing letter")
    page.get_by_role("button", name="Download transcript (PDF)").click()
    expect(page.get_by_text(re.compile("We have a return on record for"))).to_be_visible()

    # A customer file number that could be an SSN is refused with a clear message.
    choose(page, "Tax account transcript")
    page.get_by_label("Customer file number (optional)").fill(persona["tin"].replace("-", ""))
    page.get_by_role("button", name="Download transcript (PDF)").click()
    expect(page.locator(".usa-error-message").first).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "03-transcript-error")

    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", name="Transcripciones", level=1)).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "04-transcripts-es")


def test_a_verification_of_non_filing_and_a_notice_read_online_and_downloaded(page: Page, live_servers):
    persona = sign_in(page, live_servers, "pat")
    # Pat has not filed last year's return yet: the letter says we have none.
    page.get_by_role("link", name="Records and Status").click()
    page.get_by_role("link", name=re.compile("^Get a transcript")).first.click()
    kind = "Verification of non-filing letter"
    year = transcript_years(page, kind)[0]
    text = download_transcript(page, kind, year)
    assert "verification of non-filing" in text.lower()
    assert str(year) in text
    assert_masked(text, persona)

    page.get_by_role("link", name="Notices", exact=True).click()
    expect(page.get_by_role("heading", name="Notices", level=1)).to_be_visible()
    expect(page.locator("#unread-count")).to_contain_text("unread")
    axe_check(page)
    screenshot(page, FOLDER, "05-notices")

    first = page.locator("tbody tr").first
    expect(first.locator(".usa-tag")).to_have_text("Unread")
    title = first.locator("td a").first.inner_text()
    code = title.split(":")[0]
    first.locator("td a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    axe_check(page)
    screenshot(page, FOLDER, "06-notice")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    text = pdf_text(download.value.path().read_bytes())
    assert code in text
    tin = persona["tin"]
    assert tin not in text
    assert tin.replace("-", "") not in text
    assert f"XXX-XX-{tin[-4:]}" in text

    page.get_by_role("link", name="All notices").click()
    expect(page.locator("tbody tr").first.locator("td").last.locator("xpath=..")).to_contain_text("Read")
    expect(page.locator("tbody tr").first.locator(".usa-tag")).to_have_count(0)

    page.get_by_role("link", name="Change notice preferences").click()
    axe_check(page)
    screenshot(page, FOLDER, "07-preferences")

    page.get_by_role("button", name="Español").click()
    page.get_by_role("link", name="Avisos", exact=True).click()
    expect(page.get_by_role("heading", name="Avisos", level=1)).to_be_visible()
    axe_check(page)
    screenshot(page, FOLDER, "08-notices-es")
