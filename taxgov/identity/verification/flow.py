"""Identity verification as declared lists of steps (``taxgov.common.flows``).

Self-service: consent, the document, its photos, a live selfie, the person's details checked
with the records, a code to a phone in their name, their password, and the decision. Verify
by mail is the same path with a letter to the address the records matched in place of the
phone. The video-call path shares the first steps (the documents go to the agent before the
call) and ends with a review that puts the person in line or lets them book a time
(``taxgov.identity.videocall``)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from taxgov.common.flows import Flow, Label, Step
from taxgov.common.phones import for_display
from taxgov.identity.verification import forms
from taxgov.identity.verification.models import ConfirmBy, DocumentKind, Verification

Draft = Verification
AFTER_PHOTOS = ("face_distance", "selfie_matched_at", "records_matched_at", "details_given_at")
AFTER_DETAILS = (
    "documents_submitted_at",
    "phone",
    "phone_code_hash",
    "phone_code_sent_at",
    "phone_confirmed_at",
    "letter_sent_at",
    "letter_confirmed_at",
    "password_confirmed_at",
)
AFTER_DOCUMENT = ("document_data", "document_read_at", "turn", *AFTER_PHOTOS, *AFTER_DETAILS)


def _document_rows(draft: Draft) -> list[tuple[Label, str]]:
    document = draft.document
    kind = DocumentKind(draft.document_kind).label if draft.document_kind else ""
    if "unread" in document:
        return [(_("Document"), f"{kind} ({_('the agent will read it on the call')})")]
    expires = document.get("expires_on", "")
    return [(_("Document"), f"{kind} ({document.get('issuing_state', '')})"), (_("Expires"), expires)]


def _details_rows(draft: Draft) -> list[tuple[Label, str]]:
    street = ", ".join(part for part in (draft.address_line1, draft.address_line2) if part)
    return [
        (_("Name"), f"{draft.first_name} {draft.last_name}"),
        (_("Social Security number or ITIN"), f"•••-••-{draft.tin[-4:]}" if draft.tin else ""),
        (_("Date of birth"), draft.date_of_birth),
        (_("Address"), f"{street}, {draft.city}, {draft.state} {draft.postal_code}"),
    ]


def _phone_rows(draft: Draft) -> list[tuple[Label, str]]:
    return [(_("Phone"), for_display(draft.phone) if draft.phone else "")]


TEMPLATE = "verification/steps/{}.html"
CONSENT: Step[Draft] = Step(
    "consent", _("Consent"), TEMPLATE.format("consent"), forms.ConsentForm, heading=_("Before you start")
)
DOCUMENT: Step[Draft] = Step(
    "document",
    _("Document"),
    TEMPLATE.format("document"),
    forms.DocumentKindForm,
    ready=lambda draft: draft.consented_at is not None,
    clears=AFTER_DOCUMENT,
    heading=_("Choose your photo ID"),
)
PHOTOS: Step[Draft] = Step(
    "photos",
    _("Photos"),
    TEMPLATE.format("photos"),
    forms.DocumentsForm,
    ready=lambda draft: bool(draft.document_kind),
    clears=(*AFTER_PHOTOS, *AFTER_DETAILS),
    summary=_document_rows,
    heading=_("Add photos of your ID"),
)


def _details(after: Callable[[Draft], bool]) -> Step[Draft]:
    """The person's details: after the selfie on their own, after the photos for a video call."""
    return Step(
        "details",
        _("Details"),
        TEMPLATE.format("details"),
        forms.PersonalForm,
        ready=after,
        clears=AFTER_DETAILS,
        summary=_details_rows,
        heading=_("Your details"),
    )


def _finishing(confirmed: Callable[[Draft], bool]) -> list[Step[Draft]]:
    """The password and the decision, once the phone or the letter has confirmed the person."""
    return [
        Step(
            "password",
            _("Password"),
            TEMPLATE.format("password"),
            forms.PasswordForm,
            ready=confirmed,
            heading=_("Re-enter your password"),
        ),
        Step(
            "finish",
            _("Finish"),
            TEMPLATE.format("finish"),
            ready=lambda draft: draft.password_confirmed_at is not None,
            heading=_("Check and finish"),
        ),
    ]


SELFIE: Step[Draft] = Step(
    "selfie",
    _("Selfie"),
    TEMPLATE.format("selfie"),
    forms.SelfieForm,
    ready=lambda draft: draft.document_read_at is not None,
    clears=("records_matched_at", "details_given_at", *AFTER_DETAILS),
    heading=_("Take a live selfie"),
)
# Self-service up to the details; then a phone, or a letter (verify by mail).
PROVEN_BY_SELFIE = (
    CONSENT,
    DOCUMENT,
    PHOTOS,
    SELFIE,
    _details(after=lambda draft: draft.selfie_matched_at is not None),
)

SELF_SERVICE: Flow[Draft] = Flow(
    "verify",
    [
        *PROVEN_BY_SELFIE,
        Step(
            "phone",
            _("Phone"),
            TEMPLATE.format("phone"),
            forms.PhoneForm,
            ready=lambda draft: draft.records_matched_at is not None,
            clears=("phone_confirmed_at", "password_confirmed_at"),
            summary=_phone_rows,
            heading=_("Confirm your phone number"),
        ),
        Step(
            "code",
            _("Code"),
            TEMPLATE.format("code"),
            forms.PhoneCodeForm,
            ready=lambda draft: draft.phone_code_sent_at is not None,
            heading=_("Enter the code we sent"),
        ),
        *_finishing(lambda draft: draft.phone_confirmed_at is not None),
    ],
)


def _letter_rows(draft: Draft) -> list[tuple[Label, str]]:
    if draft.letter_sent_at is None:
        return []
    return [(_("Letter sent"), formats.date_format(timezone.localdate(draft.letter_sent_at), "DATE_FORMAT"))]


BY_MAIL: Flow[Draft] = Flow(
    "verify-by-mail",
    [
        *PROVEN_BY_SELFIE,
        Step(
            "letter",
            _("Letter"),
            TEMPLATE.format("letter"),
            forms.LetterForm,
            ready=lambda draft: draft.records_matched_at is not None,
            clears=("letter_confirmed_at", "password_confirmed_at"),
            summary=_letter_rows,
            heading=_("Get a letter with a code"),
        ),
        Step(
            "letter-code",
            _("Code"),
            TEMPLATE.format("letter_code"),
            forms.MailedCodeForm,
            ready=lambda draft: draft.letter_sent_at is not None,
            heading=_("Enter the code from your letter"),
        ),
        *_finishing(lambda draft: draft.letter_confirmed_at is not None),
    ],
)

VIDEO_CALL: Flow[Draft] = Flow(
    "verify-video",
    [
        CONSENT,
        DOCUMENT,
        PHOTOS,
        _details(after=lambda draft: draft.document_read_at is not None),
        Step(
            "review",
            _("Review"),
            TEMPLATE.format("review"),
            ready=lambda draft: draft.details_given_at is not None,
            heading=_("Check before the call"),
        ),
    ],
)


def flow_for(draft: Draft) -> Flow[Draft]:
    if draft.by_video:
        return VIDEO_CALL
    return BY_MAIL if draft.confirm_by == ConfirmBy.MAIL else SELF_SERVICE
