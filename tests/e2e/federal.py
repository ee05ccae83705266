"""Signing in to the federal Online Account as a persona that already has an identity account
(``identity_password`` in the personas), the way a person does: the federal home, the
provider's password and authenticator-app steps, consent and profile on first use."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pyotp
from playwright.sync_api import Page, expect

_last_step: dict[str, int] = {}  # the provider refuses a code used before: one step per sign-in


def persona_of(live_servers: Any, key: str) -> dict[str, Any]:
    personas = json.loads(live_servers.manage("federal", "demo_personas", "--json"))["personas"]
    return next(persona for persona in personas if persona["key"] == key)


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
