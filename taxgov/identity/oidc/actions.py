"""Every write of the OpenID Connect provider, each in a transaction with its audit event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from joserfc.jwk import RSAKey

from taxgov.common.audit.actions import record_event
from taxgov.identity.oidc.models import (
    AccessToken,
    AuthMethod,
    AuthorizationCode,
    Client,
    Consent,
    SeenAssertion,
    SigningKey,
)
from taxgov.identity.oidc.queries import claims_allowed, token_hash
from taxgov.identity.oidc.tags import OidcTag

RSA_BITS = 2048


def secret_hash(secret: str) -> str:
    """Client secrets are 256-bit random strings: a plain SHA-256 is enough to store them."""
    return token_hash(secret)


@transaction.atomic
def do_rotate_signing_key(*, actor: str, now: dt.datetime | None = None) -> SigningKey:
    """Make a new key the signing key and retire the others: they stay in the JWKS until
    the ID tokens they signed have expired (``queries.published_keys``)."""
    now = now or timezone.now()
    retired = list(SigningKey.objects.select_for_update().filter(retired_at__isnull=True).values_list("kid", flat=True))
    SigningKey.objects.filter(kid__in=retired).update(retired_at=now)
    key = RSAKey.generate_key(RSA_BITS, auto_kid=True)
    signing_key = SigningKey.objects.create(
        kid=key.thumbprint(),
        private_pem=key.as_pem(private=True).decode(),
        public_jwk={**key.as_dict(private=False), "use": "sig", "alg": "RS256"},
        created_at=now,
    )
    record_event(
        OidcTag.SIGNING_KEY_ROTATED,
        actor=actor,
        subject=f"signing_key:{signing_key.kid}",
        extra={"retired": retired},
    )
    return signing_key


@transaction.atomic
def do_register_client(
    data: dict[str, Any], *, secret: str | None, actor: str = "", request: HttpRequest | None = None
) -> tuple[Client, bool]:
    """Create the client, or update the one with this ``client_id``; a new secret replaces
    the old one. Returns the client and whether it was created."""
    redirect_host = urlsplit(data["redirect_uris"][0]).hostname or ""
    fields = {
        "name": data["name"],
        "auth_method": data["auth_method"],
        "redirect_uris": data["redirect_uris"],
        "post_logout_redirect_uris": data.get("post_logout_redirect_uris") or [],
        "scopes": data["scopes"],
        "claims": data["claims"],
        "acr_values": data["acr_values"],
        "jwks": data.get("jwks") or {},
    }
    client = Client.objects.select_for_update().filter(client_id=data["client_id"]).first()
    created = client is None
    if client is None:
        client = Client(client_id=data["client_id"], sector=redirect_host)
    for name, value in fields.items():
        setattr(client, name, value)
    if secret is not None:
        client.secret_hash = secret_hash(secret)
    if client.auth_method == AuthMethod.PRIVATE_KEY_JWT:
        client.secret_hash = ""
    client.save()
    record_event(
        OidcTag.CLIENT_REGISTERED if created else OidcTag.CLIENT_UPDATED,
        actor=actor,
        subject=f"oidc_client:{client.client_id}",
        request=request,
        extra={
            "scopes": client.scopes,
            "claims": client.claims,
            "acr_values": client.acr_values,
            "auth_method": client.auth_method,
            "new_secret": secret is not None,
        },
    )
    return client, created


@transaction.atomic
def do_disable_client(client: Client, *, request: HttpRequest) -> int:
    """The client can no longer sign anyone in or read userinfo; its live access tokens are
    revoked, so enabling it again gives none of them back. Returns how many were revoked."""
    now = timezone.now()
    Client.objects.filter(pk=client.pk).update(disabled_at=now)
    revoked = AccessToken.objects.filter(client=client, revoked_at__isnull=True).update(revoked_at=now)
    record_event(
        OidcTag.CLIENT_DISABLED,
        subject=f"oidc_client:{client.client_id}",
        request=request,
        extra={"tokens_revoked": revoked},
    )
    return revoked


@transaction.atomic
def do_enable_client(client: Client, *, request: HttpRequest) -> None:
    Client.objects.filter(pk=client.pk).update(disabled_at=None)
    record_event(OidcTag.CLIENT_ENABLED, subject=f"oidc_client:{client.client_id}", request=request)


@transaction.atomic
def do_issue_code(
    code: str,
    *,
    client: Client,
    user_id: int,
    redirect_uri: str,
    scope: str,
    nonce: str,
    code_challenge: str,
    acr: str,
    amr: list[str],
    auth_time: dt.datetime,
) -> AuthorizationCode:
    now = timezone.now()
    issued = AuthorizationCode.objects.create(
        code_hash=token_hash(code),
        client=client,
        user_id=user_id,
        redirect_uri=redirect_uri,
        scope=scope,
        nonce=nonce,
        code_challenge=code_challenge,
        acr=acr,
        amr=amr,
        auth_time=auth_time,
        created_at=now,
        expires_at=now + dt.timedelta(seconds=settings.TAXGOV_OIDC["code_seconds"]),
    )
    record_event(
        OidcTag.CODE_ISSUED,
        actor=f"user:{user_id}",
        subject=f"oidc_client:{client.client_id}",
        extra={"acr": acr, "amr": amr, "scope": scope},
    )
    return issued


def do_redeem_code(code: str, *, client: Client) -> tuple[AuthorizationCode | None, AuthorizationCode | None]:
    """Mark the code used, in one conditional update so two requests cannot both redeem it.
    Returns (the code, if it was live) and (the code, if it had been used already)."""
    now = timezone.now()
    found = AuthorizationCode.objects.filter(code_hash=token_hash(code), client=client)
    if found.filter(used_at__isnull=True, expires_at__gt=now).update(used_at=now):
        redeemed = found.select_related("user").get()
        redeemed.client = client  # the client it was matched on, so not read again
        return redeemed, None
    return None, found.filter(used_at__isnull=False).first()


@transaction.atomic(savepoint=False)
def do_issue_access_token(token: str, *, code: AuthorizationCode, expires_in: int) -> AccessToken:
    """The token endpoint's last write (``server.Provider.save_token`` says why), always
    inside its transaction: no savepoint of its own."""
    now = timezone.now()
    issued = AccessToken.objects.create(
        token_hash=token_hash(token),
        client=code.client,
        user=code.user,
        scope=code.scope,
        acr=code.acr,
        code=code,
        issued_at=now,
        expires_at=now + dt.timedelta(seconds=expires_in),
    )
    record_event(
        OidcTag.TOKEN_ISSUED,
        actor=f"oidc_client:{code.client.client_id}",
        subject=f"user:{code.user_id}",
        extra={"acr": code.acr, "scope": code.scope},
    )
    return issued


@transaction.atomic
def do_revoke_replayed_code(code: AuthorizationCode) -> int:
    """A code presented twice was intercepted or replayed: revoke what it gave (RFC 6749 4.1.2)."""
    revoked = AccessToken.objects.filter(code=code, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record_event(
        OidcTag.CODE_REPLAYED,
        actor=f"oidc_client:{code.client.client_id}",
        subject=f"user:{code.user_id}",
        extra={"tokens_revoked": revoked},
    )
    return revoked


def do_note_client_assertion(client: Client, jti: str, *, expires: int) -> bool:
    """Keep a client assertion's ``jti`` until it expires; False if it was seen before.

    One ``INSERT ... ON CONFLICT DO NOTHING``, whose row count tells which: a failed plain
    insert would need a savepoint around it to leave the caller's transaction usable."""
    table = connection.ops.quote_name(SeenAssertion._meta.db_table)
    expires_at = SeenAssertion._meta.get_field("expires_at").get_db_prep_save(
        dt.datetime.fromtimestamp(expires, tz=dt.UTC), connection
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (client_id, jti, expires_at) VALUES (%s, %s, %s) "  # noqa: S608
            "ON CONFLICT (client_id, jti) DO NOTHING",
            [client.pk, jti[:255], expires_at],
        )
        inserted: int = cursor.rowcount
    return inserted == 1


def do_forget_expired_assertions(now: dt.datetime | None = None) -> int:
    """Hourly: a ``jti`` need not be kept once its assertion has expired, since an expired
    assertion is refused before its ``jti`` is looked at (5 minutes of margin for the
    check's leeway). Returns how many were forgotten.

    Authorization codes are kept, expired or not: the authorization endpoint refuses a nonce
    its client used before by looking for it among them (``server.IdToken.exists_nonce``),
    and a used code presented again revokes what it gave and is audited."""
    now = now or timezone.now()
    forgotten, _by_model = SeenAssertion.objects.filter(expires_at__lt=now - dt.timedelta(minutes=5)).delete()
    return forgotten


@dataclass(frozen=True)
class SpentAssertion:
    """A client assertion a token request presented, whether or not the request succeeded."""

    client: Client
    jti: str
    expires: int
    replayed: bool


@transaction.atomic
def do_note_refused_token_request(error: str, assertions: list[SpentAssertion], *, request: HttpRequest) -> None:
    """After a refused token request was rolled back: its client assertions stay spent (else
    one could be tried again within its lifetime), and the refusal is audited."""
    for assertion in assertions:
        if assertion.replayed:
            record_event(
                OidcTag.ASSERTION_REPLAYED,
                actor=f"oidc_client:{assertion.client.client_id}",
                subject=f"oidc_client:{assertion.client.client_id}",
            )
        else:
            do_note_client_assertion(assertion.client, assertion.jti, expires=assertion.expires)
    if assertions:  # a client that proved who it is (anonymous refusals would let anyone fill the log)
        client = f"oidc_client:{assertions[0].client.client_id}"
        record_event(OidcTag.TOKEN_REFUSED, actor=client, subject=client, request=request, extra={"error": error})


@transaction.atomic
def do_grant_consent(user_id: int, client: Client, scopes: list[str], *, request: HttpRequest) -> Consent:
    """The person chose "Allow": one live consent per agency, covering every scope and claim
    allowed so far (the claims the consent page listed: those of the scopes the client is
    registered to receive)."""
    allowed = claims_allowed(scopes, client)
    consent = (
        Consent.objects.select_for_update().filter(user_id=user_id, client=client, revoked_at__isnull=True).first()
    )
    if consent is None:
        consent = Consent.objects.create(user_id=user_id, client=client, scopes=sorted(set(scopes)), claims=allowed)
    else:
        consent.scopes = sorted(set(consent.scopes) | set(scopes))
        consent.claims = sorted(set(consent.claims) | set(allowed))
        consent.granted_at = timezone.now()
        consent.save(update_fields=["scopes", "claims", "granted_at"])
    record_event(
        OidcTag.CONSENT_GRANTED,
        subject=f"oidc_client:{client.client_id}",
        request=request,
        extra={"scopes": consent.scopes},
    )
    return consent


def do_refuse_consent(client: Client, *, request: HttpRequest) -> None:
    record_event(OidcTag.CONSENT_REFUSED, subject=f"oidc_client:{client.client_id}", request=request)


@transaction.atomic
def do_revoke_consent(consent: Consent, *, request: HttpRequest) -> None:
    """Disconnect an agency: its consent ends and the access tokens it holds stop working.
    The next sign-in there asks again."""
    now = timezone.now()
    Consent.objects.filter(pk=consent.pk, revoked_at__isnull=True).update(revoked_at=now)
    revoked = AccessToken.objects.filter(
        user_id=consent.user_id, client=consent.client, revoked_at__isnull=True, expires_at__gt=now
    ).update(revoked_at=now)
    record_event(
        OidcTag.CONSENT_REVOKED,
        subject=f"oidc_client:{consent.client.client_id}",
        request=request,
        extra={"tokens_revoked": revoked},
    )


def do_note_sign_out(client: Client | None, *, request: HttpRequest) -> None:
    record_event(
        OidcTag.SIGNED_OUT_BY_CLIENT,
        subject=f"oidc_client:{client.client_id}" if client else "",
        request=request,
    )
