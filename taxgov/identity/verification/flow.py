"""Self-service identity verification as a declared list of steps (``taxgov.common.flows``):
consent, the document, its photos, a live selfie, the person's details checked with the
records, a code to a phone in their name, their password, and the decision."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from taxgov.common.flows import Flow, Label, Step
from taxgov.common.phones import for_display
from taxgov.identity.verification import forms
from taxgov.identity.verification.models import DocumentKind, Verification

Draft = Verification
AFTER_PHOTOS = ("face_distance", "selfie_matched_at", "records_matched_at")
AFTER_DETAILS = ("phone", "phone_code_hash", "phone_code_sent_at", "phone_confirmed_at", "password_confirmed_at")
AFTER_DOCUMENT = ("document_data", "document_read_at", "turn", *AFTER_PHOTOS, *AFTER_DETAILS)


def _document_rows(draft: Draft) -> list[tuple[Label, str]]:
    document = draft.document
    kind = DocumentKind(draft.document_kind).label if draft.document_kind else ""
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
SELF_SERVICE: Flow[Draft] = Flow(
    "verify",
    [
        Step("consent", _("Consent"), TEMPLATE.format("consent"), forms.ConsentForm, heading=_("Before you start")),
        Step(
            "document",
            _("Document"),
            TEMPLATE.format("document"),
            forms.DocumentKindForm,
            ready=lambda draft: draft.consented_at is not None,
            clears=AFTER_DOCUMENT,
            heading=_("Choose your photo ID"),
        ),
        Step(
            "photos",
            _("Photos"),
            TEMPLATE.format("photos"),
            forms.DocumentsForm,
            ready=lambda draft: bool(draft.document_kind),
            clears=(*AFTER_PHOTOS, *AFTER_DETAILS),
            summary=_document_rows,
            heading=_("Add photos of your ID"),
        ),
        Step(
            "selfie",
            _("Selfie"),
            TEMPLATE.format("selfie"),
            forms.SelfieForm,
            ready=lambda draft: draft.document_read_at is not None,
            clears=("records_matched_at", *AFTER_DETAILS),
            heading=_("Take a live selfie"),
        ),
        Step(
            "details",
            _("Details"),
            TEMPLATE.format("details"),
            forms.PersonalForm,
            ready=lambda draft: draft.selfie_matched_at is not None,
            clears=AFTER_DETAILS,
            summary=_details_rows,
            heading=_("Your details"),
        ),
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
        Step(
            "password",
            _("Password"),
            TEMPLATE.format("password"),
            forms.PasswordForm,
            ready=lambda draft: draft.phone_confirmed_at is not None,
            heading=_("Re-enter your password"),
        ),
        Step(
            "finish",
            _("Finish"),
            TEMPLATE.format("finish"),
            ready=lambda draft: draft.password_confirmed_at is not None,
            heading=_("Check and finish"),
        ),
    ],
)
