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
            "IDV-DOC-005",
            _("Your ID has expired."),
            _("Use a document that has not expired, or talk to an agent on a video call."),
        ),
        ErrorEntry(
            "IDV-DOC-006",
            _("The photo is too small to read."),
            _("Take the photo again closer to the document, so it fills most of the frame."),
        ),
        ErrorEntry(
            "IDV-DOC-007",
            _("The photo is too blurry to read."),
            _("Hold the camera steady and let it focus, or place the document on a flat surface."),
        ),
        ErrorEntry(
            "IDV-DOC-008",
            _("There is glare on the document."),
            _("Move away from direct light or turn off the flash, then take the photo again."),
        ),
        ErrorEntry(
            "IDV-DOC-009",
            _("Part of the document is cut off in the photo."),
            _("Take the photo again with all four corners of the document in the frame."),
        ),
        ErrorEntry(
            "IDV-DOC-010",
            _("We could not find the portrait on your document."),
            _("Take the photo again with the whole front of the document in the frame and in focus."),
        ),
        ErrorEntry(
            "IDV-IMG-001",
            _("We could not open that file as a photo."),
            _("Take the photo again with your camera, or choose a JPEG or PNG photo."),
        ),
        ErrorEntry(
            "IDV-IMG-002",
            _("The photo is too large to check: it has more than 30 million pixels."),
            _("Take the photo again with your camera's usual settings, or choose a smaller photo."),
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
        ErrorEntry(
            "IDV-FACE-003",
            _("Your selfie does not match the photo on your ID."),
            _("Retake the selfie in even light. If it still does not match, talk to an agent on a video call."),
        ),
        ErrorEntry(
            "IDV-REC-001",
            _("The details you entered do not match the records we checked."),
            _("Check your name, SSN, date of birth and address, or talk to an agent on a video call."),
        ),
        ErrorEntry(
            "IDV-REC-002",
            _("This Social Security number has already verified another account."),
            _("Sign in to the account you verified before. If that is not your account, call us."),
        ),
        ErrorEntry(
            "IDV-PHN-001",
            _("We could not confirm that this phone number is in your name."),
            _("Try another mobile number in your name, get a letter by mail, or talk to an agent on a video call."),
        ),
        ErrorEntry(
            "IDV-PHN-002",
            _("That code is not right or has expired."),
            _("Check the code in your latest text message, or send a new code."),
        ),
        ErrorEntry(
            "IDV-MAIL-001",
            _("That code does not match a letter we mailed you."),
            _("Check the 10 letters and numbers in your latest letter. Letters to an earlier address do not work."),
        ),
        ErrorEntry(
            "IDV-MAIL-002",
            _("The code in your letter has expired."),
            _("Ask for another letter, or confirm with a code to a mobile phone in your name."),
        ),
        ErrorEntry(
            "IDV-MAIL-003",
            _("You have asked for as many letters as we can send for now."),
            _("Use a letter we already mailed, ask again after a day, or talk to an agent on a video call."),
        ),
        ErrorEntry(
            "IDV-VID-001",
            _("The agent on your video call could not verify your identity."),
            _("Read the agent's reason in the email we sent. You can start again with other documents, or call us."),
        ),
        ErrorEntry(
            "IDV-LIM-001",
            _("You have tried this step too many times."),
            _("Wait 6 hours and try again, or talk to an agent on a video call."),
        ),
    )
}
