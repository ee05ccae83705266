"""Authenticator apps (RFC 6238, 6 digits, 30-second steps) through pyotp, and the QR code
that carries the secret, drawn as inline SVG by segno (no inline styles, so the page's
Content Security Policy stays strict)."""

from __future__ import annotations

import re
import time
from enum import Enum

import pyotp
import segno

CODE = re.compile(r"[0-9]{6}")  # ASCII digits only: pyotp would accept full-width digits too
ACCEPTED_DRIFT = 1  # steps either side of now
SYNC_WINDOW = 10  # steps either side checked to tell a wrong code from a clock out of sync


class TotpResult(Enum):
    OK = "ok"
    WRONG = "wrong"
    OUT_OF_SYNC = "out_of_sync"
    REPLAYED = "replayed"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_svg(uri: str, *, title: str) -> str:
    """An accessible inline SVG (with a <title>) of the provisioning URI."""
    return str(
        segno.make(uri, error="m", micro=False).svg_inline(
            scale=5, border=4, title=title, svgclass="taxgov-qr", lineclass=None, dark="#000", light="#fff"
        )
    )


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, *, now: float | None = None) -> tuple[TotpResult, int | None]:
    """Which 30-second step ``code`` belongs to: within one step of now is OK; within
    ``SYNC_WINDOW`` steps means the device's clock is off; otherwise it is wrong."""
    if not CODE.fullmatch(code):
        return TotpResult.WRONG, None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now if now is not None else time.time())
    for distance in range(SYNC_WINDOW + 1):
        for step in {current - distance, current + distance}:
            if pyotp.utils.strings_equal(code, totp.generate_otp(step)):
                result = TotpResult.OK if distance <= ACCEPTED_DRIFT else TotpResult.OUT_OF_SYNC
                return result, step
    return TotpResult.WRONG, None


def current_code(secret: str) -> str:
    """The code an app shows now (the development-only "Populate" helper)."""
    return str(pyotp.TOTP(secret).now())
