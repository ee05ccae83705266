"""Security keys and face or touch unlock (WebAuthn, through py_webauthn). The server makes
the options and keeps the one-time challenge in the session; the browser's authenticator
signs it; the server checks the signature, the origin and the relying party id."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorAttachment,
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from taxgov.common.audit.actions import record_event
from taxgov.common.mfa.models import WebAuthnCredential
from taxgov.common.mfa.tags import MfaTag

CHALLENGE_KEY = "taxgov.webauthn.challenge"


class WebAuthnError(Exception):
    """The authenticator's answer did not check out."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def rp_id(request: HttpRequest) -> str:
    """``TAXGOV_WEBAUTHN_RP_ID``, or this site's host name."""
    return settings.TAXGOV_WEBAUTHN_RP_ID or request.get_host().split(":")[0]


def origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _take_challenge(request: HttpRequest) -> bytes:
    stored = request.session.pop(CHALLENGE_KEY, None)
    if not isinstance(stored, str):
        raise WebAuthnError("no challenge")
    return _unb64(stored)


def user_handle(user_id: int) -> bytes:
    """What the authenticator stores as the user: stable, but not the guessable account id."""
    return hmac.new(settings.SECRET_KEY.encode(), f"webauthn-user|{user_id}".encode(), hashlib.sha256).digest()


def registration_options(request: HttpRequest, *, user_id: int, user_name: str, platform: bool) -> str:
    existing = WebAuthnCredential.objects.filter(user_id=user_id).values_list("credential_id", flat=True)
    options = generate_registration_options(
        rp_id=rp_id(request),
        rp_name=str(settings.TAXGOV_BRAND["product_name"]),
        user_id=user_handle(user_id),
        user_name=user_name,
        exclude_credentials=[PublicKeyCredentialDescriptor(id=_unb64(value)) for value in existing],
        authenticator_selection=AuthenticatorSelectionCriteria(
            authenticator_attachment=AuthenticatorAttachment.PLATFORM
            if platform
            else AuthenticatorAttachment.CROSS_PLATFORM,
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.REQUIRED
            if platform
            else UserVerificationRequirement.PREFERRED,
        ),
    )
    request.session[CHALLENGE_KEY] = _b64(options.challenge)
    return str(options_to_json(options))


@transaction.atomic
def do_register(
    request: HttpRequest, *, user_id: int, credential: object, name: str, platform: bool
) -> WebAuthnCredential:
    if not isinstance(credential, dict):
        _take_challenge(request)
        raise WebAuthnError("not a credential")
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=_take_challenge(request),
            expected_rp_id=rp_id(request),
            expected_origin=origin(request),
            require_user_verification=platform,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise WebAuthnError(str(error)) from error
    try:
        with transaction.atomic():
            saved = WebAuthnCredential.objects.create(
                user_id=user_id,
                credential_id=_b64(verified.credential_id),
                public_key=_b64(verified.credential_public_key),
                sign_count=verified.sign_count,
                transports=list(credential.get("response", {}).get("transports", []) or []),
                platform=platform,
                name=name[:60],
            )
    except IntegrityError as error:
        raise WebAuthnError("this key is already registered") from error
    record_event(
        MfaTag.FACTOR_ADDED,
        subject=f"user:{user_id}",
        request=request,
        extra={"kind": "webauthn", "platform": platform},
    )
    return saved


def authentication_options(request: HttpRequest, *, user_id: int) -> str:
    credentials = WebAuthnCredential.objects.filter(user_id=user_id).values_list("credential_id", flat=True)
    options = generate_authentication_options(
        rp_id=rp_id(request),
        allow_credentials=[PublicKeyCredentialDescriptor(id=_unb64(value)) for value in credentials],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    request.session[CHALLENGE_KEY] = _b64(options.challenge)
    return str(options_to_json(options))


@transaction.atomic
def do_authenticate(request: HttpRequest, *, user_id: int, credential: object) -> WebAuthnCredential:
    """The user's credential that signed this session's challenge; refuses a signature
    counter that went backwards (a cloned key)."""
    if not isinstance(credential, dict):
        _take_challenge(request)
        raise WebAuthnError("not a credential")
    stored = (
        WebAuthnCredential.objects.select_for_update()
        .filter(user_id=user_id, credential_id=str(credential.get("id", "")))
        .first()
    )
    if stored is None:
        _take_challenge(request)
        raise WebAuthnError("unknown credential")
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=_take_challenge(request),
            expected_rp_id=rp_id(request),
            expected_origin=origin(request),
            credential_public_key=_unb64(stored.public_key),
            credential_current_sign_count=stored.sign_count,
            require_user_verification=stored.platform,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        record_event(MfaTag.FAILED, subject=f"user:{user_id}", request=request, extra={"kind": "webauthn"})
        raise WebAuthnError(str(error)) from error
    stored.sign_count = verified.new_sign_count
    stored.last_used_at = timezone.now()
    stored.save(update_fields=["sign_count", "last_used_at"])
    record_event(MfaTag.VERIFIED, subject=f"user:{user_id}", request=request, extra={"kind": "webauthn"})
    return stored
