"""The identity-verification error codes: stable, documented (docs/idv-errors.md), one per
failure, each with what happened and what to do next. Pages and audit events use the code;
the codes never change meaning once published."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class VerificationError(Exception):
    """A step of verification failed; ``code`` is the catalogued error it shows."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ErrorEntry:
    code: str
    what_happened: Promise
    what_to_do: Promise


ERRORS: dict[str, ErrorEntry] = {
    error.code: error
    for error in (
        ErrorEntry(
            "IDV-DOC-001",
            _("We could not find the barcode on the back of your ID."),
            _("Take the photo again in good light, with the whole back of the card in the frame and in focus."),
        ),
        ErrorEntry(
            "IDV-DOC-002",
            _("The barcode on your ID could not be read correctly."),
            _("Take the photo again. If it still fails, use another document or talk to an agent on a video call."),
        ),
        ErrorEntry(
            "IDV-DOC-003",
            _("We could not find the two lines of letters and numbers at the bottom of your passport's photo page."),
            _("Take the photo again with the whole photo page flat, in focus and without glare."),
        ),
        ErrorEntry(
            "IDV-DOC-004",
            _("The lines at the bottom of your passport's photo page did not check out."),
            _("Take the photo again. If it still fails, use another document or talk to an agent on a video call."),
        ),
        ErrorEntry(
            "IDV-FACE-001",
            _("We could not find a face in the photo."),
            _("Take the photo again facing the camera, in even light, with nothing covering your face."),
        ),
        ErrorEntry(
            "IDV-FACE-002",
            _("We could not confirm that the selfie was taken live."),
            _("Try again: face the camera, then slowly turn your head the way we ask, keeping it in the frame."),
        ),
    )
}
