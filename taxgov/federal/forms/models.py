"""Online forms: the draft a taxpayer is filling in, the signed submission, each change of its
status, and the fingerprints of the answers that must be unique.

A submission is ``submitted`` when signed, ``received`` when the processing job takes it in,
then ``accepted`` or ``rejected`` (with its reasons) by the form's declared rules. Every answer
may be personal data (a child's name, SSN and date of birth), so answers are kept as one
encrypted JSON document; what must be looked up (a child's SSN for duplicates) is kept as a
keyed fingerprint beside it.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taxgov.common.security.fields import EncryptedTextField
from taxgov.federal.accounts.models import User
from taxgov.ledger.models import Taxpayer


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Draft(models.Model):
    """The answers given so far, saved after every page; one per taxpayer and form, so two
    tabs fill in the same draft. Deleted when it is submitted or discarded."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    taxpayer = models.ForeignKey(Taxpayer, on_delete=models.CASCADE, related_name="+")
    form_code = models.CharField(max_length=16)
    answers = EncryptedTextField(default="{}")  # engine.dump / engine.load
    started_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["taxpayer", "form_code"], name="federal_form_draft_one_per_form"),
        ]

    def __str__(self) -> str:
        return f"form draft {self.pk}"


class Submission(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    taxpayer = models.ForeignKey(Taxpayer, on_delete=models.PROTECT, related_name="+")
    form_code = models.CharField(max_length=16)
    answers = EncryptedTextField()
    filed_on = models.DateField()  # the day it was signed: the rules of that day apply
    status = models.CharField(max_length=9, choices=SubmissionStatus.choices)
    idempotency_key = models.CharField(max_length=64)  # the draft's id: unique, see Meta
    confirmation_number = models.CharField(max_length=14)  # unique: see Meta
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    statement = models.TextField()  # the declaration the signer checked, as it was shown

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="federal_form_submission_key_unique"),
            models.UniqueConstraint(fields=["confirmation_number"], name="federal_form_confirmation_unique"),
        ]
        indexes = [
            models.Index(fields=["status"], name="federal_form_submission_status"),
            models.Index(fields=["taxpayer", "signed_at"], name="federal_form_submission_filer"),
        ]

    def __str__(self) -> str:
        return f"form submission {self.pk}"


class StatusChange(models.Model):
    """One step of a submission's history. Each status is reached at most once, which the
    database enforces: a processing run that is repeated or overlaps changes nothing twice."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=9, choices=SubmissionStatus.choices)
    changed_at = models.DateTimeField()
    changed_on = models.DateField()  # the processing day (a job may run for a past day)
    # Rejections: [{"code": "child-age", "part": "children-2"}]; codes, never answers.
    reasons = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "status"], name="federal_form_status_once"),
        ]
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.status} ({self.submission_id})"


class UniqueAnswer(models.Model):
    """The fingerprint of an answer that must be unique (a child's SSN on Form 4547). At most
    one live submission holds each; a rejected one lets go, so the answer can be filed again."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="unique_answers")
    form_code = models.CharField(max_length=16)
    name = models.CharField(max_length=64)  # section.field
    part = models.CharField(max_length=32)  # the page it was given on
    fingerprint = models.CharField(max_length=64)
    held = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["form_code", "name", "fingerprint"],
                condition=Q(held=True),
                name="federal_form_unique_answer_held_once",
            ),
        ]
        indexes = [models.Index(fields=["form_code", "name", "fingerprint"], name="federal_form_unique_answer")]

    def __str__(self) -> str:
        return f"{self.name} of {self.submission_id}"
