"""Second factors, the one-time codes sent to them, and devices a person chose to trust.

Shared by the state portal (two-step verification) and the identity provider (MFA); each
deployable keeps these rows in its own database against its own user model.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from taxgov.common.security.fields import EncryptedTextField


class FactorKind(models.TextChoices):
    TOTP = "totp", _("Authentication App")
    SMS = "sms", _("Text Message")
    VOICE = "voice", _("Phone call")
    EMAIL = "email", _("Email")


class SecondFactor(models.Model):
    """A way to prove it is you: an authenticator app's secret, or a phone or e-mail address
    codes are sent to. Usable once confirmed with a first code."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="second_factors")
    kind = models.CharField(max_length=5, choices=FactorKind.choices)
    destination = EncryptedTextField(blank=True)  # E.164 phone number or e-mail address
    secret = EncryptedTextField(blank=True)  # base32 TOTP secret
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_totp_step = models.BigIntegerField(null=True, blank=True)  # refuses a code used before
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} factor {self.pk}"


class OneTimeCode(models.Model):
    """A code sent to a factor: stored as a keyed hash, single use, short-lived, few tries."""

    factor = models.ForeignKey(SecondFactor, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["factor", "created_at"], name="mfa_code_latest")]

    def __str__(self) -> str:
        return f"code {self.pk}"


class TrustedDevice(models.Model):
    """A browser the person said to trust: it skips the second step until it expires or is removed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trusted_devices")
    token_hash = models.CharField(max_length=64)
    description = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token_hash"], name="mfa_trusted_device_token_unique")]

    def __str__(self) -> str:
        return f"trusted device {self.pk}"


class RecoveryCode(models.Model):
    """One of a set of ten single-use codes (NIST look-up secrets): shown once, kept only as
    an Argon2 hash, found by a keyed fingerprint of its first group."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    lookup = models.CharField(max_length=16)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "lookup"], name="mfa_recovery_code_lookup")]

    def __str__(self) -> str:
        return f"recovery code {self.pk}"


class WebAuthnCredential(models.Model):
    """A security key, or a phone's or computer's face or touch unlock (a passkey): only the
    public key is kept; ``sign_count`` helps spot a cloned key."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webauthn_credentials")
    credential_id = models.CharField(max_length=1400)  # base64url
    public_key = models.TextField()  # base64url COSE key
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    platform = models.BooleanField(default=False)  # face or touch unlock rather than a separate key
    name = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["credential_id"], name="mfa_webauthn_credential_unique")]

    def __str__(self) -> str:
        return f"webauthn credential {self.pk}"
