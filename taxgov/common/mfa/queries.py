from __future__ import annotations

from django.utils import timezone

from taxgov.common.mfa.models import SecondFactor, TrustedDevice, WebAuthnCredential


def confirmed_factors(user_id: int) -> list[SecondFactor]:
    return list(SecondFactor.objects.filter(user_id=user_id, confirmed_at__isnull=False).order_by("created_at", "pk"))


def has_second_step(user_id: int) -> bool:
    """A confirmed factor or a security key; recovery codes are counted by their callers."""
    return (
        SecondFactor.objects.filter(user_id=user_id, confirmed_at__isnull=False).exists()
        or WebAuthnCredential.objects.filter(user_id=user_id).exists()
    )


def security_keys(user_id: int) -> list[WebAuthnCredential]:
    return list(WebAuthnCredential.objects.filter(user_id=user_id).order_by("created_at", "pk"))


def live_devices(user_id: int) -> list[TrustedDevice]:
    return list(
        TrustedDevice.objects.filter(user_id=user_id, revoked_at__isnull=True, expires_at__gt=timezone.now()).order_by(
            "-created_at"
        )
    )
