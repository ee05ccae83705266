"""Every shared component and the form renderer, in a browser, under axe and the keyboard."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import axe_check


def test_components_and_form_errors_are_accessible(page: Page, live_servers: dict[str, str]):
    page.goto(live_servers["state"] + "/dev/components/")
    expect(page.locator(".usa-step-indicator [aria-current=step]")).to_contain_text("Contact")
    axe_check(page)

    page.get_by_role("button", name="Continue").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(4)
    full_name = page.get_by_label("Full name")
    expect(full_name).to_have_attribute("aria-invalid", "true")
    expect(full_name).to_have_accessible_description("As it appears on your ID. This field is required.")
    axe_check(page)

    summary.get_by_role("link", name="How should we contact you? This field is required.").click()
    expect(page.get_by_role("radio", name="Email")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Text message")).to_be_checked()

    page.get_by_role("button", name="Open the modal").click()
    heading = page.get_by_role("dialog", name="Are you sure?").get_by_role("heading")
    expect(heading).to_be_visible()
    axe_check(page)
    page.keyboard.press("Escape")
    expect(heading).to_be_hidden()
    expect(page.get_by_role("button", name="Open the modal")).to_be_focused()
