"""The OpenID Connect provider's records: the relying parties an administrator registered,
the keys that sign ID tokens, and (for the endpoints) codes, tokens, consents and the client
assertions already seen.

Codes and access tokens are kept only as SHA-256 hashes: the database never holds one that
works. Signing keys are encrypted at rest like personal data.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from taxgov.common.security.fields import EncryptedTextField


class AuthMethod(models.TextChoices):
    """How a client proves who it is at the token endpoint."""

    PRIVATE_KEY_JWT = "private_key_jwt", "private_key_jwt"
    CLIENT_SECRET_BASIC = "client_secret_basic", "client_secret_basic"


class Client(models.Model):
    """A relying party (an agency's service), registered by an administrator."""

    client_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200)  # the agency, as the consent page names it
    auth_method = models.CharField(max_length=20, choices=AuthMethod.choices)
    secret_hash = models.CharField(max_length=64, blank=True)  # SHA-256 of a high-entropy secret
    jwks = models.JSONField(default=dict, blank=True)  # public keys for private_key_jwt
    redirect_uris = models.JSONField(default=list)
    post_logout_redirect_uris = models.JSONField(default=list, blank=True)
    scopes = models.JSONField(default=list)  # the scopes it may ask for
    claims = models.JSONField(default=list)  # of those scopes' claims, the ones it may receive
    acr_values = models.JSONField(default=list)  # the assurance levels it may ask for
    sector = models.CharField(max_length=255)  # pairwise ``sub`` is derived per sector
    created_at = models.DateTimeField(default=timezone.now)
    disabled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [("manage_clients", "Can register, change and disable OpenID Connect clients")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(auth_method="client_secret_basic") | ~Q(secret_hash=""),
                name="oidc_client_secret_basic_has_secret",
            ),
        ]

    def __str__(self) -> str:
        return self.client_id

    @property
    def is_enabled(self) -> bool:
        return self.disabled_at is None


class SigningKey(models.Model):
    """An RSA key that signs ID tokens. The newest active one signs; a retired one stays in
    the JWKS until every token it signed has expired."""

    kid = models.CharField(max_length=64, unique=True)  # the RFC 7638 thumbprint
    private_pem = EncryptedTextField()
    public_jwk = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.kid


class AuthorizationCode(models.Model):
    code_hash = models.CharField(max_length=64, unique=True)
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    redirect_uri = models.TextField()
    scope = models.TextField()
    nonce = models.CharField(max_length=255, blank=True)
    code_challenge = models.CharField(max_length=128)
    acr = models.CharField(max_length=100)
    amr = models.JSONField(default=list)
    auth_time = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Every authorization request asks whether its client used the nonce before.
        indexes = [models.Index(fields=["client", "nonce"], name="oidc_code_client_nonce")]

    def __str__(self) -> str:
        return f"code {self.pk}"


class AccessToken(models.Model):
    token_hash = models.CharField(max_length=64, unique=True)
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    scope = models.TextField()
    acr = models.CharField(max_length=100)
    code = models.OneToOneField(AuthorizationCode, null=True, on_delete=models.SET_NULL)  # a replayed code revokes it
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"access token {self.pk}"


class Consent(models.Model):
    """A person's "Allow" for one agency to receive these scopes; revoked from the account page."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    scopes = models.JSONField(default=list)
    claims = models.JSONField(default=list)  # what the consent page listed: released only these
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client"], condition=Q(revoked_at__isnull=True), name="oidc_one_live_consent"
            )
        ]

    def __str__(self) -> str:
        return f"consent {self.pk}"


class SeenAssertion(models.Model):
    """A client assertion's ``jti``, kept until the assertion expires, so none is used twice."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "jti"], name="oidc_assertion_once")]

    def __str__(self) -> str:
        return f"assertion {self.jti}"
