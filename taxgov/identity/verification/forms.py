"""The verification steps' forms: validation only. Reading a document, judging a selfie and
asking the records vendor are how these answers are validated; what the draft should hold
comes back from ``answers()`` and the view saves it through the actions."""

from __future__ import annotations

import datetime as dt
import hmac
import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taxgov.common.flows import StepForm
from taxgov.common.identifiers import normalize_tin
from taxgov.common.phones import to_e164
from taxgov.common.security.codes import code_hash, normalize_letter_code
from taxgov.common.usps import US_STATES
from taxgov.identity.verification import queries
from taxgov.identity.verification.documents.images import open_photo
from taxgov.identity.verification.documents.passport import names_agree
from taxgov.identity.verification.documents.reading import read_card, read_passport
from taxgov.identity.verification.errors import ERRORS, VerificationError
from taxgov.identity.verification.faces import Turn, compare, find_face, judge_liveness
from taxgov.identity.verification.models import DocumentKind, EvidenceKind, Verification
from taxgov.identity.verification.vendors import PersonClaim, records_vendor

MAX_UPLOAD = 10 * 1024 * 1024  # bytes per photo
CODE_MINUTES, CODE_ATTEMPTS = 10, 5
CONSENT_TEXT = _(
    "I agree that VerifyID may collect my photo ID, a live selfie and my Social Security number, date of "
    "birth, address and phone number, compare the selfie with the photo on my ID (biometric data), and check "
    "these details with the issuer of my ID, the Social Security Administration's records and my phone "
    "company, to verify my identity. The photos and the selfie are deleted within 24 hours of the decision."
)
VIDEO_CONSENT_TEXT = _(
    "I agree that VerifyID may collect photos of my ID and my Social Security number, date of birth and "
    "address, check these details with the Social Security Administration's records, and that a trained "
    "agent may see me and my ID on a live video call, to verify my identity. The call is not recorded. "
    "The photos are deleted within 24 hours of the decision."
)
# Photo problems a retake fixes; on a video call anything else about the document is for the agent to judge.
RETAKE_CODES = frozenset({"IDV-DOC-006", "IDV-DOC-007", "IDV-DOC-008", "IDV-DOC-009", "IDV-IMG-001", "IDV-IMG-002"})


def failure(error: VerificationError) -> ValidationError:
    """A catalogued failure as a form error: what happened, and its code for the help page."""
    return ValidationError(str(ERRORS[error.code].what_happened), code=error.code)


def _image(upload: UploadedFile | None) -> bytes:
    if upload is None:
        raise ValidationError(_("Choose a photo or take one with your camera."), code="required")
    if upload.size is None or upload.size > MAX_UPLOAD:
        raise ValidationError(_("The photo must be smaller than 10 MB."), code="too_large")
    return bytes(upload.read())


class ConsentForm(StepForm):
    agree = forms.BooleanField(
        label=_("I agree"),
        error_messages={"required": _("Check “I agree” to continue, or choose a video call with an agent instead.")},
    )

    def initial_from(self, draft: Verification) -> dict[str, Any]:
        return {"agree": draft.consented_at is not None}

    def answers(self) -> dict[str, Any]:
        text = VIDEO_CONSENT_TEXT if self.draft.by_video else CONSENT_TEXT
        return {"consent_text": str(text), "consented_at": timezone.now()}


class DocumentKindForm(StepForm):
    document_kind = forms.ChoiceField(
        label=_("Which document will you use?"), choices=DocumentKind.choices, widget=forms.RadioSelect
    )


class DocumentsForm(StepForm):
    """The front and back of a card, or a passport's data page; read as they are checked."""

    front = forms.FileField(label=_("Front of your ID"), required=False)
    back = forms.FileField(label=_("Back of your ID"), required=False)
    page = forms.FileField(label=_("Passport photo page"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        passport = self.draft.document_kind == DocumentKind.PASSPORT
        for name in ("front", "back") if passport else ("page",):
            del self.fields[name]
        for field in self.fields.values():
            field.widget.attrs.update({"accept": "image/jpeg,image/png", "capture": "environment"})
        self.reading: dict[str, Any] = {}
        self.images: dict[str, bytes] = {}

    def initial_from(self, draft: Verification) -> dict[str, Any]:
        return {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            if "page" in self.fields:
                self.images = {EvidenceKind.PASSPORT_PAGE: _image(cleaned.get("page"))}
            else:
                self.images = {
                    EvidenceKind.DOCUMENT_FRONT: _image(cleaned.get("front")),
                    EvidenceKind.DOCUMENT_BACK: _image(cleaned.get("back")),
                }
        except ValidationError as error:
            raise ValidationError(error.messages[0], code="required") from None
        today = timezone.localdate()
        try:
            if "page" in self.fields:
                self.reading = read_passport(self.images[EvidenceKind.PASSPORT_PAGE], today=today)
            else:
                front, back = self.images[EvidenceKind.DOCUMENT_FRONT], self.images[EvidenceKind.DOCUMENT_BACK]
                self.reading = read_card(front, back, today=today)
        except VerificationError as error:
            if not self.draft.by_video or error.code in RETAKE_CODES:
                raise failure(error) from None
            self.reading = {"unread": error.code}  # the agent reads it on the call
        return cleaned

    def answers(self) -> dict[str, Any]:
        return {"document_data": json.dumps(self.reading), "images": self.images}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked as a FileField checks one."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(widget=MultipleFileInput, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


class SelfieForm(StepForm):
    """The frames the camera captured during the head-turn challenge."""

    frames = MultipleFileField(label=_("Selfie"), required=False)

    def initial_from(self, draft: Verification) -> dict[str, Any]:
        return {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        uploads = cleaned.get("frames") or []
        if not uploads:
            raise ValidationError(_("Take the selfie with your camera."), code="required")
        try:
            photos = [_image(upload) for upload in uploads[:12]]
            frames = [open_photo(photo) for photo in photos]
            live = judge_liveness(frames, Turn[self.draft.turn.upper()])
            portrait_photo = queries.portrait_photo(self.draft)
            portrait = find_face(open_photo(portrait_photo), code="IDV-DOC-010")
            match = compare(portrait, live)
            if not match.matched:
                raise VerificationError("the selfie does not match the portrait", code="IDV-FACE-003")
        except VerificationError as error:
            raise failure(error) from None
        self.distance, self.selfie = match.distance, photos[0]
        return cleaned

    def answers(self) -> dict[str, Any]:
        return {"face_distance": self.distance, "selfie_matched_at": timezone.now(), "selfie": self.selfie}


class DateOfBirthField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=["%m/%d/%Y", "%Y-%m-%d"], **kwargs)


class PersonalForm(StepForm):
    """The person's details, pre-filled from the document, checked with the records vendor."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    tin = forms.CharField(
        label=_("Social Security number or ITIN"), max_length=11, help_text=_("For example: 123-45-6789")
    )
    date_of_birth = DateOfBirthField(label=_("Date of birth"), help_text=_("For example: 03/15/1988"))
    address_line1 = forms.CharField(label=_("Street address"), max_length=100)
    address_line2 = forms.CharField(label=_("Apartment, suite, unit (optional)"), max_length=100, required=False)
    city = forms.CharField(label=_("City"), max_length=100)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("- Select -")), *US_STATES])
    postal_code = forms.RegexField(
        label=_("ZIP code"),
        regex=r"^\d{5}(-\d{4})?$",
        max_length=10,
        error_messages={"invalid": _("Enter a 5-digit ZIP code.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tin"].widget.attrs.update({"autocomplete": "off", "inputmode": "numeric"})
        self.fields["date_of_birth"].widget.attrs["autocomplete"] = "bday"
        self.fields["postal_code"].widget.attrs["autocomplete"] = "postal-code"

    def initial_from(self, draft: Verification) -> dict[str, Any]:
        document = draft.document
        address = document.get("address") or {}
        given = (document.get("given_names") or "").split()
        return {
            "first_name": draft.first_name or (given[0].title() if given else ""),
            "last_name": draft.last_name or (document.get("family_name") or "").title(),
            "date_of_birth": draft.date_of_birth or document.get("date_of_birth", ""),
            "address_line1": draft.address_line1 or address.get("line1", "").title(),
            "address_line2": draft.address_line2 or address.get("line2", "").title(),
            "city": draft.city or address.get("city", "").title(),
            "state": draft.state or address.get("state", ""),
            "postal_code": draft.postal_code or address.get("postal_code", ""),
        }

    def clean_tin(self) -> str:
        normalized = normalize_tin(self.cleaned_data["tin"])
        if normalized is None:
            raise ValidationError(_("Enter the 9 digits of your Social Security number or ITIN."), code="invalid")
        return normalized

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        document = self.draft.document
        if self.draft.by_video and "unread" in document:
            return self._check_for_the_agent(cleaned)
        if cleaned["date_of_birth"].isoformat() != document.get("date_of_birth"):
            self.add_error("date_of_birth", _("Enter your date of birth as it is on your ID."))
            return cleaned
        given_on_document = (document.get("given_names") or "").split()[:1]
        if cleaned["last_name"].upper().strip() != (document.get("family_name") or "").upper().strip() or not (
            names_agree(" ".join(given_on_document), cleaned["first_name"].split()[0])
        ):
            self.add_error("last_name", _("Enter your name as it is on your ID."))
            return cleaned
        if self.draft.by_video:
            return self._check_for_the_agent(cleaned)
        if not self._records_match(cleaned):
            raise failure(VerificationError("the records do not match", code="IDV-REC-001"))
        # Only after the records match: otherwise this would tell anyone whether a TIN has an account.
        if queries.tin_verified_for_another_account(cleaned["tin"], self.draft.user_id):
            raise failure(VerificationError("the TIN verified another account", code="IDV-REC-002"))
        self.matched = True
        return cleaned

    def _records_match(self, cleaned: dict[str, Any]) -> bool:
        claim = PersonClaim(
            tin=cleaned["tin"],
            first_name=cleaned["first_name"],
            last_name=cleaned["last_name"],
            date_of_birth=cleaned["date_of_birth"],
            address_line1=cleaned["address_line1"],
            postal_code=cleaned["postal_code"],
        )
        return records_vendor().person_matches(claim)

    def _check_for_the_agent(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        """On the video path a mismatch does not stop the person (a recent move, say): the
        agent sees whether the records matched and decides. A TIN that verified another
        account still stops them, and again only once the records match."""
        self.matched = self._records_match(cleaned)
        if self.matched and queries.tin_verified_for_another_account(cleaned["tin"], self.draft.user_id):
            raise failure(VerificationError("the TIN verified another account", code="IDV-REC-002"))
        return cleaned

    def answers(self) -> dict[str, Any]:
        """The details, and when they were given and matched. Details given again unchanged
        keep their times, so what followed (a code sent, a letter in the post) stands."""
        data = dict(self.cleaned_data)
        data["date_of_birth"] = data["date_of_birth"].isoformat()
        unchanged = all(getattr(self.draft, name) == value for name, value in data.items())
        if (
            unchanged
            and self.draft.details_given_at is not None
            and self.matched == bool(self.draft.records_matched_at)
        ):
            return data
        now = timezone.now()
        data["records_matched_at"] = now if self.matched else None
        data["details_given_at"] = now
        return data


class PhoneForm(StepForm):
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=25,
        help_text=_("A U.S. mobile number in your name. For example: (617) 555-0123"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel-national"

    def initial_from(self, draft: Verification) -> dict[str, Any]:
        return {"phone": draft.phone}

    def clean_phone(self) -> str:
        number = to_e164(self.cleaned_data["phone"], "US")
        if number is None:
            raise ValidationError(_("Enter a 10-digit U.S. phone number."), code="invalid")
        if not records_vendor().phone_in_name(number, self.draft.tin):
            raise failure(VerificationError("the phone is not in the person's name", code="IDV-PHN-001"))
        return number


def phone_code_hash(draft: Verification, code: str) -> str:
    return code_hash("idv-phone-code", draft.pk, code)


class PhoneCodeForm(StepForm):
    code = forms.RegexField(
        label=_("One-time code"), regex=r"^\d{6}$", max_length=6, error_messages={"invalid": _("Enter the 6 digits.")}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})

    def initial_from(self, draft: Verification) -> dict[str, Any]:
        return {}

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"])
        sent = self.draft.phone_code_sent_at
        fresh = sent is not None and timezone.now() - sent < dt.timedelta(minutes=CODE_MINUTES)
        if (
            not fresh
            or self.draft.phone_code_attempts >= CODE_ATTEMPTS
            or not hmac.compare_digest(self.draft.phone_code_hash, phone_code_hash(self.draft, code))
        ):
            raise failure(VerificationError("wrong or expired code", code="IDV-PHN-002"))
        return code

    def answers(self) -> dict[str, Any]:
        return {"phone_confirmed_at": timezone.now()}


class LetterForm(StepForm):
    """A letter with a code to the address the records matched, if the letter limits allow one."""

    def initial_from(self, draft: Verification) -> dict[str, Any]:
        return {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        now = timezone.now()
        if queries.next_letter_at(self.draft.user_id, now) > now:
            raise failure(VerificationError("no more letters for now", code="IDV-MAIL-003"))
        return cleaned

    def answers(self) -> dict[str, Any]:
        return {"letter_sent_at": timezone.now()}


class MailedCodeForm(StepForm):
    code = forms.CharField(
        label=_("Code from your letter"),
        max_length=20,
        help_text=_("10 letters and numbers. For example: 7K3QX-9MWD2"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"}
        )

    def initial_from(self, draft: Verification) -> dict[str, Any]:
        return {}

    def clean_code(self) -> str:
        code = normalize_letter_code(str(self.cleaned_data["code"]))
        if code is None:
            raise ValidationError(_("Enter the 10 letters and numbers from your letter."), code="invalid")
        mailed = queries.mailed_code(self.draft, code)
        if mailed is None:
            raise failure(VerificationError("wrong letter code", code="IDV-MAIL-001"))
        if mailed.expires_at <= timezone.now():
            raise failure(VerificationError("expired letter code", code="IDV-MAIL-002"))
        self.mailed = mailed
        return code

    def answers(self) -> dict[str, Any]:
        return {"letter_confirmed_at": timezone.now(), "mailed_code": self.mailed}


class PasswordForm(StepForm):
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, max_length=128)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def initial_from(self, draft: Verification) -> dict[str, Any]:
        return {}

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.draft.user.check_password(password):
            raise ValidationError(_("That password is not right."), code="wrong")
        return password

    def answers(self) -> dict[str, Any]:
        return {"password_confirmed_at": timezone.now()}
