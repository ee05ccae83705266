"""The records a verification vendor would hold: who a TIN belongs to, which licences a state
issued, who owns a phone number. Identifiers, dates of birth and street addresses are
encrypted; each identifier has a keyed fingerprint beside it for look-ups (see fingerprints.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from taxgov.common.security.fields import EncryptedTextField


class TinType(models.TextChoices):
    SSN = "ssn", _("Social Security number")
    ITIN = "itin", _("Individual taxpayer identification number")


class DocumentType(models.TextChoices):
    DRIVER_LICENCE = "driver_licence", _("Driver's license")
    STATE_ID = "state_id", _("State ID")


class PhoneKind(models.TextChoices):
    MOBILE = "mobile", _("Mobile phone")
    HOME = "home", _("Home phone")
    WORK = "work", _("Work phone")


class PersonRecord(models.Model):
    """One person as the SSA-style records hold them: TIN, name, date of birth and death, address."""

    tin_fingerprint = models.CharField(max_length=64, unique=True)
    tin = EncryptedTextField()
    tin_type = models.CharField(max_length=4, choices=TinType.choices)
    first_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    suffix = models.CharField(max_length=10, blank=True)
    date_of_birth = EncryptedTextField()  # ISO date
    date_of_death = models.DateField(null=True, blank=True)
    address_line1 = EncryptedTextField()
    address_line2 = EncryptedTextField(blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2)  # USPS code
    postal_code = models.CharField(max_length=10)

    def __str__(self) -> str:
        return f"person record {self.pk}"


class DriverLicenceRecord(models.Model):
    """A licence or state ID as the issuing state's records hold it (AAMVA DLDV-style)."""

    person = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="licences")
    state = models.CharField(max_length=2)  # the issuing state's USPS code
    number_fingerprint = models.CharField(max_length=64)
    number = EncryptedTextField()
    document_type = models.CharField(max_length=14, choices=DocumentType.choices)
    issued_on = models.DateField()
    expires_on = models.DateField()
    document_discriminator = EncryptedTextField()
    sex = models.CharField(max_length=1)  # F, M or X
    height_cm = models.PositiveSmallIntegerField()
    eye_colour = models.CharField(max_length=3)  # AAMVA code

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["state", "number_fingerprint"], name="identity_records_licence_unique")
        ]

    def __str__(self) -> str:
        return f"licence record {self.pk}"


class PhoneRecord(models.Model):
    """A phone number and who holds it, as a phone-ownership check would answer.

    Not unique: numbers are reissued, and the latest holder is the current one.
    """

    number_fingerprint = models.CharField(max_length=64, db_index=True)
    number = EncryptedTextField()  # E.164
    person = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="phones")
    carrier = models.CharField(max_length=50)
    kind = models.CharField(max_length=6, choices=PhoneKind.choices)
    owned_since = models.DateField()
    in_own_name = models.BooleanField()

    def __str__(self) -> str:
        return f"phone record {self.pk}"
