"""Each deployable's home page: USWDS styling, demo banner, skip link, language switch, axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEPLOYABLES, axe_check

HEADINGS = {
    "identity": ("VerifyID: one secure account for government services", "VerifyID: una cuenta segura"),
    "federal": ("Your online account", "Su cuenta en línea"),
    "state": ("Welcome to TaxConnect", "Bienvenido a TaxConnect"),
}


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_home_page_is_styled_accessible_and_bilingual(page: Page, live_servers: dict[str, str], deployable: str):
    page.goto(live_servers[deployable] + "/")
    english, spanish = HEADINGS[deployable]

    expect(page.get_by_role("heading", level=1)).to_have_text(english)
    # USWDS's compiled CSS is served (no CDN): its font applies to headings.
    font = page.eval_on_selector("h1", "element => getComputedStyle(element).fontFamily")
    assert "Source Sans Pro Web" in font
    expect(page.get_by_role("region", name="Demonstration system")).to_contain_text(
        "Do not enter real personal information"
    )
    axe_check(page)

    # The skip link is the first thing the keyboard reaches, and it moves focus to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()

    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_contain_text(spanish)
    expect(page.get_by_role("region", name="Sistema de demostración")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(english)


def test_missing_page_is_friendly_and_accessible(page: Page, live_servers: dict[str, str]):
    response = page.goto(live_servers["federal"] + "/no-such-page/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="Go to the home page")).to_have_attribute("href", "/")
    axe_check(page)


def test_only_scripts_with_the_nonce_run(page: Page, live_servers: dict[str, str]):
    response = page.goto(live_servers["state"] + "/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert re.search(r"script-src 'nonce-[A-Za-z0-9+/=]+'", policy), policy
    assert "unsafe-inline" not in policy
    assert page.evaluate("document.querySelectorAll('script:not([nonce])').length") == 0

    # An injected inline script without the nonce is blocked and reported; one with it runs.
    page.evaluate(
        """() => {
            window.__violations = [];
            document.addEventListener(
                'securitypolicyviolation', (event) => window.__violations.push(event.effectiveDirective));
            const bad = document.createElement('script');
            bad.textContent = 'window.__withoutNonce = true';
            document.body.append(bad);
            const good = document.createElement('script');
            good.nonce = document.querySelector('script[nonce]').nonce;
            good.textContent = 'window.__withNonce = true';
            document.body.append(good);
        }"""
    )
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__violations") == ["script-src-elem"]
    assert page.evaluate("window.__withoutNonce === undefined")
    assert page.evaluate("window.__withNonce === true")
