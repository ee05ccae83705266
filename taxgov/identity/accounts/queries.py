"""What the account page shows: the security history, and everything we hold about a person."""

from __future__ import annotations

from typing import Any

from taxgov.common.audit.models import AuditEvent
from taxgov.common.mfa.display import describe_browser, masked_destination
from taxgov.common.mfa.models import RecoveryCode, SecondFactor, TrustedDevice, WebAuthnCredential
from taxgov.identity.accounts.models import AccountReset, EmailAddress, User

HISTORY_SHOWN = 100


def security_history(user_id: int) -> list[dict[str, Any]]:
    """The person's security events, newest first: what, when, browser, and a hint of where
    (the network the request came from, to the /24, never the full address)."""
    rows = AuditEvent.objects.filter(subject=f"user:{user_id}").order_by("-sequence")[:HISTORY_SHOWN]
    return [
        {
            "tag": row.tag,
            "occurred_at": row.occurred_at,
            "browser": describe_browser(row.user_agent) if row.user_agent else "",
            "network": _network(row.ip_address),
        }
        for row in rows
    ]


def _network(address: str | None) -> str:
    if not address:
        return ""
    if ":" in address:
        return ":".join(address.split(":")[:3]) + "::/48"
    return ".".join(address.split(".")[:3]) + ".0/24"


def my_data(user: User) -> dict[str, Any]:
    """Download my data: the account, its sign-in methods (never secrets), browsers, history."""
    return {
        "email": user.email,
        "created": user.date_joined.isoformat(),
        "email_confirmed": user.email_confirmed_at.isoformat() if user.email_confirmed_at else None,
        "sign_in_methods": [
            {"kind": factor.kind, "where": masked_destination(factor), "added": factor.created_at.isoformat()}
            for factor in SecondFactor.objects.filter(user=user, confirmed_at__isnull=False)
        ]
        + [
            {"kind": "webauthn", "name": key.name, "added": key.created_at.isoformat()}
            for key in WebAuthnCredential.objects.filter(user=user)
        ],
        "other_email_addresses": [
            {"email": address.email, "confirmed": address.confirmed_at.isoformat() if address.confirmed_at else None}
            for address in EmailAddress.objects.filter(user=user)
        ],
        "account_resets": [
            {
                "requested": reset.requested_at.isoformat(),
                "cancelled": reset.cancelled_at.isoformat() if reset.cancelled_at else None,
                "completed": reset.completed_at.isoformat() if reset.completed_at else None,
            }
            for reset in AccountReset.objects.filter(user=user)
        ],
        "recovery_codes_left": RecoveryCode.objects.filter(user=user, used_at__isnull=True).count(),
        "remembered_browsers": [
            {"browser": device.description, "until": device.expires_at.isoformat()}
            for device in TrustedDevice.objects.filter(user=user, revoked_at__isnull=True)
        ],
        "security_history": [
            {**event, "occurred_at": event["occurred_at"].isoformat()} for event in security_history(user.pk)
        ],
    }
