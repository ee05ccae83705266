"""Authenticator-app codes: the accepted window, the clock-out-of-sync band, and the QR code."""

from __future__ import annotations

import pyotp

from taxgov.common.mfa import totp
from taxgov.common.mfa.display import describe_browser, masked_email, masked_phone

NOW = 1_800_000_000.0


def test_codes_one_step_either_side_are_accepted_with_their_step():
    secret = totp.new_secret()
    app = pyotp.TOTP(secret)
    for offset in (-30, 0, 30):
        result, step = totp.matching_step(secret, app.at(NOW + offset), now=NOW)
        assert result is totp.TotpResult.OK
        assert step == app.timecode(NOW + offset)


def test_a_code_minutes_away_means_the_clock_is_out_of_sync_and_garbage_is_wrong():
    secret = totp.new_secret()
    app = pyotp.TOTP(secret)
    assert totp.matching_step(secret, app.at(NOW - 180), now=NOW)[0] is totp.TotpResult.OUT_OF_SYNC
    assert totp.matching_step(secret, app.at(NOW + 3600), now=NOW)[0] is totp.TotpResult.WRONG
    full_width = "".join(chr(0xFF10 + int(digit)) for digit in app.at(NOW))  # the same code in full-width digits
    assert totp.matching_step(secret, full_width, now=NOW)[0] is totp.TotpResult.WRONG


def test_the_qr_code_is_inline_svg_with_a_title_and_no_inline_styles():
    svg = totp.qr_svg(totp.provisioning_uri(totp.new_secret(), account="a", issuer="Demo"), title="QR <code>")
    assert svg.startswith("<svg")
    assert "<title>QR &lt;code&gt;</title>" in svg
    assert "style=" not in svg


def test_destinations_are_masked_and_browsers_named():
    assert masked_email("elmo@dor.state.ma.us") == "e***@d**.s****.m*.us"
    assert masked_phone("+16175550123") == "(***) ***-0123"
    agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"
    assert describe_browser(agent) == "Chrome on Linux"
