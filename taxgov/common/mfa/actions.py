"""Adding and removing second factors, sending and checking codes, trusting devices.

Codes are 6 random digits, stored as an HMAC keyed with the deployable's secret key and
the factor, valid for ``TAXGOV_MFA["code_minutes"]`` minutes, for one use and
``TAXGOV_MFA["code_attempts"]`` tries. Authenticator codes are accepted one step either
side of now, never twice (the last step used is stored, and the update is conditional so
two simultaneous sign-ins cannot both use one code).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from enum import Enum

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from taxgov.common.audit.actions import record_event
from taxgov.common.messaging.api import send_email, send_sms, send_voice
from taxgov.common.mfa import totp
from taxgov.common.mfa.models import FactorKind, OneTimeCode, SecondFactor, TrustedDevice, WebAuthnCredential
from taxgov.common.mfa.tags import MfaTag
from taxgov.common.security.codes import code_hash, new_code


class CodeResult(Enum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    OUT_OF_SYNC = "out_of_sync"
    REPLAYED = "replayed"


class LastFactorError(Exception):
    """Removing this factor would leave the account without a second step."""


def _user_ref(factor: SecondFactor) -> str:
    return f"user:{factor.user_id}"


def _code_hash(factor: SecondFactor, code: str) -> str:
    return code_hash("mfa-code", factor.pk, code)


def _token_hash(token: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}|trusted-device|{token}".encode()).hexdigest()


@transaction.atomic
def do_add_factor(
    user_id: int, kind: FactorKind, *, destination: str = "", request: HttpRequest | None = None
) -> SecondFactor:
    """An unconfirmed factor; it counts once its first code has been entered. Any other
    factor the person started to add and never confirmed is dropped."""
    SecondFactor.objects.filter(user_id=user_id, confirmed_at__isnull=True).delete()
    factor = SecondFactor.objects.create(
        user_id=user_id,
        kind=kind,
        destination=destination,
        secret=totp.new_secret() if kind == FactorKind.TOTP else "",
    )
    record_event(
        MfaTag.FACTOR_ADDED, subject=_user_ref(factor), request=request, extra={"kind": str(kind), "confirmed": False}
    )
    return factor


@transaction.atomic
def do_send_code(factor: SecondFactor, *, request: HttpRequest | None = None) -> None:
    """Send a fresh code (any earlier unused code of this factor stops working)."""
    now = timezone.now()
    OneTimeCode.objects.filter(factor=factor, used_at__isnull=True).update(expires_at=now)
    code = new_code()
    minutes = settings.TAXGOV_MFA["code_minutes"]
    OneTimeCode.objects.create(
        factor=factor, code_hash=_code_hash(factor, code), expires_at=now + dt.timedelta(minutes=minutes)
    )
    product = settings.TAXGOV_BRAND["product_name"]
    if factor.kind == FactorKind.EMAIL:
        send_email("security_code", factor.destination, {"code": code, "minutes": minutes})
    elif factor.kind == FactorKind.SMS:
        send_sms(
            factor.destination,
            _("%(product)s security code: %(code)s. It expires in %(minutes)d minutes. Never share it.")
            % {"product": product, "code": code, "minutes": minutes},
        )
    elif factor.kind == FactorKind.VOICE:
        spoken = ", ".join(code)
        send_voice(factor.destination, _("Your security code is %(code)s. Again: %(code)s.") % {"code": spoken})
    record_event(MfaTag.CODE_SENT, subject=_user_ref(factor), request=request, extra={"kind": factor.kind})


def do_check_code(factor: SecondFactor, code: str, *, request: HttpRequest | None = None) -> CodeResult:
    """Check a code typed for ``factor``; a correct one is used up, and confirms the factor."""
    code = "".join(code.split())
    with transaction.atomic():
        if factor.kind == FactorKind.TOTP:
            result = _check_totp(factor, code)
        else:
            result = _check_sent_code(factor, code)
        if result is CodeResult.OK:
            now = timezone.now()
            fields = {"last_used_at": now}
            if factor.confirmed_at is None:
                fields["confirmed_at"] = now
            SecondFactor.objects.filter(pk=factor.pk).update(**fields)
            for name, value in fields.items():
                setattr(factor, name, value)
        tag = MfaTag.VERIFIED if result is CodeResult.OK else MfaTag.FAILED
        record_event(
            tag, subject=_user_ref(factor), request=request, extra={"kind": factor.kind, "result": result.value}
        )
    return result


def _check_totp(factor: SecondFactor, code: str) -> CodeResult:
    result, step = totp.matching_step(factor.secret, code)
    if result is totp.TotpResult.OUT_OF_SYNC:
        return CodeResult.OUT_OF_SYNC
    if result is not totp.TotpResult.OK or step is None:
        return CodeResult.WRONG
    stored = SecondFactor.objects.filter(pk=factor.pk).filter(
        Q(last_totp_step__isnull=True) | Q(last_totp_step__lt=step)
    )
    if not stored.update(last_totp_step=step):
        return CodeResult.REPLAYED
    factor.last_totp_step = step
    return CodeResult.OK


def _check_sent_code(factor: SecondFactor, code: str) -> CodeResult:
    latest = (
        OneTimeCode.objects.select_for_update()
        .filter(factor=factor, used_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    now = timezone.now()
    if latest is None or latest.expires_at <= now or latest.attempts >= settings.TAXGOV_MFA["code_attempts"]:
        return CodeResult.EXPIRED
    OneTimeCode.objects.filter(pk=latest.pk).update(attempts=F("attempts") + 1)
    if not hmac.compare_digest(latest.code_hash, _code_hash(factor, code)):
        return CodeResult.WRONG
    OneTimeCode.objects.filter(pk=latest.pk).update(used_at=now)
    return CodeResult.OK


@transaction.atomic
def do_remove_factor(factor: SecondFactor, *, request: HttpRequest | None = None) -> None:
    """Never the last confirmed factor: an account always keeps its second step."""
    # Lock every factor of the user (a count alone locks nothing), so two removals at once
    # cannot each see the other's factor and leave none.
    confirmed = list(
        SecondFactor.objects.select_for_update().filter(user_id=factor.user_id, confirmed_at__isnull=False)
    )
    others = [other for other in confirmed if other.pk != factor.pk]
    keys = WebAuthnCredential.objects.select_for_update().filter(user_id=factor.user_id)
    if factor.confirmed_at is not None and not others and not list(keys):
        raise LastFactorError
    record_event(MfaTag.FACTOR_REMOVED, subject=_user_ref(factor), request=request, extra={"kind": factor.kind})
    factor.delete()


@transaction.atomic
def do_trust_device(user_id: int, *, description: str, request: HttpRequest | None = None) -> tuple[str, TrustedDevice]:
    """Remember this browser; returns the token for its cookie (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    device = TrustedDevice.objects.create(
        user_id=user_id,
        token_hash=_token_hash(token),
        description=description[:100],
        expires_at=timezone.now() + dt.timedelta(days=settings.TAXGOV_MFA["trusted_device_days"]),
    )
    record_event(MfaTag.DEVICE_TRUSTED, subject=f"user:{user_id}", request=request, extra={"device": device.pk})
    return token, device


def trusted_device(user_id: int, token: str) -> TrustedDevice | None:
    """The device this cookie token belongs to, if it is the user's and still trusted."""
    if not token:
        return None
    return TrustedDevice.objects.filter(
        user_id=user_id, token_hash=_token_hash(token), revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def do_note_device_used(device: TrustedDevice) -> None:
    TrustedDevice.objects.filter(pk=device.pk).update(last_used_at=timezone.now())


@transaction.atomic
def do_revoke_device(device: TrustedDevice, *, request: HttpRequest | None = None) -> None:
    TrustedDevice.objects.filter(pk=device.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record_event(MfaTag.DEVICE_REVOKED, subject=f"user:{device.user_id}", request=request, extra={"device": device.pk})


@transaction.atomic
def do_remove_security_key(key: WebAuthnCredential, *, request: HttpRequest | None = None) -> None:
    """Never the last way to sign in: another key or a confirmed factor must remain."""
    others = list(WebAuthnCredential.objects.select_for_update().filter(user_id=key.user_id).exclude(pk=key.pk))
    factors = list(SecondFactor.objects.select_for_update().filter(user_id=key.user_id, confirmed_at__isnull=False))
    if not others and not factors:
        raise LastFactorError
    record_event(MfaTag.FACTOR_REMOVED, subject=f"user:{key.user_id}", request=request, extra={"kind": "webauthn"})
    key.delete()
