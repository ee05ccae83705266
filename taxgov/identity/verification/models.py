"""A person's identity verification: the draft the steps fill, the evidence they upload (kept
only until the retention job deletes it) and fraud holds that keep evidence longer.

Everything that identifies the person is encrypted (``EncryptedTextField``); the TIN has a
keyed fingerprint beside it so a TIN verified for one account cannot verify another: the
database refuses two verified cases with one fingerprint.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taxgov.common.security.fields import EncryptedTextField


class Method(models.TextChoices):
    SELF_SERVICE = "self_service", _("Photo ID and selfie")
    VIDEO_AGENT = "video_agent", _("Video call with an agent")


class ConfirmBy(models.TextChoices):
    """How a self-service case confirms the person: a phone in their name, or a letter to
    the address the records matched (verify by mail)."""

    PHONE = "phone", _("A code to a phone in your name")
    MAIL = "mail", _("A letter with a code to your address")


class Outcome(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    VERIFIED = "verified", _("Verified")
    FAILED = "failed", _("Not verified")


class DocumentKind(models.TextChoices):
    DRIVER_LICENCE = "driver_licence", _("Driver's license")
    STATE_ID = "state_id", _("State ID card")
    PASSPORT = "passport", _("U.S. passport")


class EvidenceKind(models.TextChoices):
    DOCUMENT_FRONT = "document_front", _("Front of the ID")
    DOCUMENT_BACK = "document_back", _("Back of the ID")
    PASSPORT_PAGE = "passport_page", _("Passport photo page")
    SELFIE = "selfie", _("Selfie")


class Verification(models.Model):
    """One attempt to verify one account's identity, from consent to the decision."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verifications")
    created_at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=12, choices=Method.choices, default=Method.SELF_SERVICE)
    outcome = models.CharField(max_length=11, choices=Outcome.choices, default=Outcome.IN_PROGRESS)
    error_code = models.CharField(max_length=12, blank=True)  # the last step that failed

    consent_text = models.TextField(blank=True)  # exactly what the person agreed to, as shown
    consented_at = models.DateTimeField(null=True, blank=True)

    document_kind = models.CharField(max_length=14, choices=DocumentKind.choices, blank=True)
    document_data = EncryptedTextField(blank=True)  # JSON: what the document says (see ``document``)
    document_read_at = models.DateTimeField(null=True, blank=True)
    turn = models.CharField(max_length=5, blank=True)  # the liveness challenge asked: "left" or "right"
    face_distance = models.FloatField(null=True, blank=True)
    selfie_matched_at = models.DateTimeField(null=True, blank=True)

    first_name = EncryptedTextField(blank=True)
    last_name = EncryptedTextField(blank=True)
    tin = EncryptedTextField(blank=True)
    tin_fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    date_of_birth = EncryptedTextField(blank=True)  # ISO date
    address_line1 = EncryptedTextField(blank=True)
    address_line2 = EncryptedTextField(blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    records_matched_at = models.DateTimeField(null=True, blank=True)
    details_given_at = models.DateTimeField(null=True, blank=True)  # checked or not (a video call's agent decides)

    phone = EncryptedTextField(blank=True)  # E.164
    phone_code_hash = models.CharField(max_length=64, blank=True)
    phone_code_sent_at = models.DateTimeField(null=True, blank=True)
    phone_code_attempts = models.PositiveSmallIntegerField(default=0)
    phone_confirmed_at = models.DateTimeField(null=True, blank=True)

    confirm_by = models.CharField(max_length=5, choices=ConfirmBy.choices, default=ConfirmBy.PHONE)
    letter_sent_at = models.DateTimeField(null=True, blank=True)  # the latest letter
    letter_confirmed_at = models.DateTimeField(null=True, blank=True)

    password_confirmed_at = models.DateTimeField(null=True, blank=True)
    documents_submitted_at = models.DateTimeField(null=True, blank=True)  # ready for a video call
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=40, blank=True)  # ``agent:<id>`` for a video call
    biometrics_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tin_fingerprint"],
                condition=Q(outcome="verified"),
                name="identity_verification_one_verified_account_per_tin",
            ),
            models.CheckConstraint(
                condition=Q(outcome="in_progress") | Q(decided_at__isnull=False),
                name="identity_verification_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"verification {self.pk}"

    @property
    def document(self) -> dict[str, Any]:
        return json.loads(self.document_data) if self.document_data else {}

    @property
    def by_video(self) -> bool:
        return self.method == Method.VIDEO_AGENT

    @property
    def is_decided(self) -> bool:
        return self.outcome != Outcome.IN_PROGRESS


class Evidence(models.Model):
    """A photo the person gave; deleted by the retention job after the decision."""

    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=14, choices=EvidenceKind.choices)
    content = EncryptedTextField()  # the image, base64
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"evidence {self.pk}"


class MailedCode(models.Model):
    """A letter's code: it confirms the address the records matched, until it expires.
    Only the code's keyed hash is kept; the letter itself went to the printer."""

    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="mailed_codes")
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the letter's, for the printer
    code_hash = models.CharField(max_length=64)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("sent_at")), name="mailed_code_expires_later")
        ]

    def __str__(self) -> str:
        return f"mailed code {self.pk}"


class FraudHold(models.Model):
    """Keeps a case's evidence past the retention period, for a reason, until it expires."""

    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="fraud_holds")
    reason = models.TextField()
    placed_by = models.CharField(max_length=40)  # a reference such as ``user:7``
    placed_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("placed_at")), name="fraud_hold_expires_later")
        ]

    def __str__(self) -> str:
        return f"fraud hold {self.pk}"
