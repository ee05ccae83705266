"""The development outbox: send a test email, read it, follow its link."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import axe_check


def test_test_email_appears_in_the_outbox_with_a_working_link(page: Page, live_servers: dict[str, str]):
    base = live_servers["identity"]
    page.goto(base + "/dev/outbox/")
    axe_check(page)

    # A bad address is refused with an error summary that links to the field.
    page.get_by_label("Send a test email to").fill("not-an-address")
    page.get_by_role("button", name="Send test email").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(page).to_have_title("Error: Development outbox | VerifyID")
    axe_check(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("Send a test email to")).to_be_focused()

    page.get_by_label("Send a test email to").fill("pat@example.com")
    page.get_by_role("button", name="Send test email").click()
    expect(page.get_by_role("status")).to_contain_text("Test email sent")
    page.get_by_role("link", name="Test message from VerifyID").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Test message from VerifyID")
    expect(page.get_by_text("pat@example.com")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=base + "/").click()
    expect(page).to_have_url(base + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("VerifyID")
