"""Signing in to the federal Online Account as a persona that already has an identity account
(``identity_password`` in the personas), the way a person does: the federal home, the
provider's password and authenticator-app steps, consent and profile on first use."""

from __future__ import annotations

import io
import re
import time
from typing import Any

import pyotp
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

_last_step: dict[str, int] = {}  # the provider refuses a code used before: one step per sign-in


def persona_of(live_servers: Any, key: str) -> dict[str, Any]:
    return next(persona for persona in live_servers.personas if persona["key"] == key)


def fresh_code(secret: str) -> str:
    """A code for a time step no earlier sign-in of this run used (waits if it must)."""
    while True:
        step = int(time.time()) // 30
        if _last_step.get(secret, -1) < step:
            _last_step[secret] = step
            return pyotp.TOTP(secret).at(step * 30)
        time.sleep(1)


def sign_in(page: Page, live_servers: Any, key: str) -> dict[str, Any]:
    """Land on the account home as the persona ``key``; returns the persona."""
    persona = persona_of(live_servers, key)
    federal = live_servers["federal"]
    page.goto(federal + "/")
    page.get_by_role("link", name=re.compile("Sign in or create account|Iniciar sesión")).first.click()
    page.get_by_label(re.compile("Email address|Correo electrónico")).fill(persona["email"])
    page.get_by_label(re.compile(r"^(Password|Contraseña)\W*$")).fill(persona["identity_password"])
    page.get_by_role("button", name=re.compile("^(Sign in|Iniciar sesión)$")).last.click()
    page.get_by_label(re.compile("Security code|Código de seguridad")).fill(fresh_code(persona["identity_totp_secret"]))
    page.get_by_role("button", name=re.compile("^(Submit|Enviar)$")).click()
    allow = page.get_by_role("button", name=re.compile("^(Allow|Permitir)$"))
    create = page.get_by_role("button", name=re.compile("Create my profile|Crear mi perfil"))
    home = page.locator("#payoff-heading")
    expect(allow.or_(create).or_(home)).to_be_visible()
    if allow.is_visible():
        allow.click()
    expect(create.or_(home)).to_be_visible()
    if create.is_visible():
        create.click()
    expect(home).to_be_visible()
    assert page.url.startswith(federal)
    return persona


def fill_by_keyboard(page: Page, start: Locator, answers: dict[str, str], submit: str) -> None:
    """Fill a form with the keyboard only, from the element ``start`` onwards: Tab from field
    to field; type into text boxes and select lists (a list picks the option its typed label
    starts); in a radio group, arrow to the answer's value; Space ticks a checkbox whose answer
    is "on". Enter on the button named ``submit`` sends it. Fails if an answer's field was
    never reached."""
    left = dict(answers)
    start.click()
    for _step in range(200):
        page.keyboard.press("Tab")
        field = page.evaluate(
            "() => { const e = document.activeElement;"
            " return {name: e.name || '', type: e.type || '', value: e.value || '', tag: e.tagName}; }"
        )
        name = field["name"]
        if field["tag"] == "BUTTON" and name == submit:
            break
        if name not in left:
            continue
        wanted = left.pop(name)
        if field["type"] == "radio":
            for _move in range(30):
                if page.evaluate("document.activeElement.value") == wanted:
                    break
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
        elif field["type"] == "checkbox":
            if wanted == "on":
                page.keyboard.press("Space")
        else:
            if field["tag"] != "SELECT":
                page.keyboard.press("ControlOrMeta+A")  # replace what the form filled in
            page.keyboard.type(wanted)
    else:
        raise AssertionError(f"never reached the {submit!r} button")
    assert left == {}, f"never reached {sorted(left)}"
    page.keyboard.press("Enter")


def transcript_years(page: Page, kind: str) -> list[int]:
    """On the Transcripts page: the years the table says ``kind`` can be made for this taxpayer."""
    cell = page.locator("tr", has=page.locator(f"th:text-is('{kind}')")).locator("td").first.inner_text()
    return [int(year) for year in re.findall(r"\d{4}", cell)]


def download_transcript(page: Page, kind: str, year: int, customer_file_number: str = "") -> str:
    """From the Transcripts page: the transcript's PDF downloaded in this session, as text
    (checked to be a tagged PDF first)."""
    choose(page, kind)
    page.get_by_role("combobox", name=re.compile("^Tax year")).select_option(str(year))
    page.get_by_label("Customer file number (optional)").fill(customer_file_number)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download transcript (PDF)").click()
    return pdf_text(download.value.path().read_bytes())


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    assert "/StructTreeRoot" in reader.trailer["/Root"], "not a tagged PDF"
    return "\n".join(page.extract_text() for page in reader.pages)


def choose(page: Page, label: str) -> None:
    """Tick the USWDS radio button or checkbox whose label starts with ``label`` (the input
    itself is drawn by its label and hidden from the pointer)."""
    page.locator(
        "label.usa-radio__label, label.usa-checkbox__label", has_text=re.compile(f"^{re.escape(label)}")
    ).first.click()
