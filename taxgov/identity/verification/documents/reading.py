"""Reading a document from its photos: the quality checks, the barcode or the zone, the
expiry and the portrait. The result is what the document says, ready to store (encrypted)
and to pre-fill the person's details; every refusal is a catalogued error."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PIL import Image

from taxgov.identity.verification.documents.aamva import parse
from taxgov.identity.verification.documents.barcode import read_pdf417
from taxgov.identity.verification.documents.images import check_quality, open_photo
from taxgov.identity.verification.documents.passport import read_zone
from taxgov.identity.verification.errors import VerificationError
from taxgov.identity.verification.faces import find_face


def _postal_code(value: str) -> str:
    digits = value.strip()
    return f"{digits[:5]}-{digits[5:9]}" if len(digits) >= 9 and digits[5:9] != "0000" else digits[:5]


def _check_portrait(photo: Image.Image) -> None:
    find_face(photo, code="IDV-DOC-010")


def _check_unexpired(expires_on: dt.date | None, today: dt.date) -> None:
    if expires_on is None or expires_on < today:
        raise VerificationError("the document has expired", code="IDV-DOC-005")


def read_card(front: bytes, back: bytes, *, today: dt.date) -> dict[str, Any]:
    """A driver's licence or state ID: the portrait on the front, the barcode on the back."""
    front_image, back_image = open_photo(front), open_photo(back)
    check_quality(front_image)
    check_quality(back_image)
    card = parse(read_pdf417(back_image))
    _check_unexpired(card.expired_on, today)
    _check_portrait(front_image)
    born = card.date("date_of_birth")
    if born is None:
        raise VerificationError("no date of birth", code="IDV-DOC-002")
    return {
        "document_type": card.document_type,
        "family_name": card.family_name,
        "given_names": " ".join(
            part for part in (card.first_name, card.text("middle_names")) if part and part != "NONE"
        ),
        "date_of_birth": born.isoformat(),
        "expires_on": card.expired_on.isoformat() if card.expired_on else "",
        "number": card.text("customer_id"),
        "issuing_state": card.text("jurisdiction"),
        "address": {
            "line1": card.text("street_1"),
            "line2": card.text("street_2"),
            "city": card.text("city"),
            "state": card.text("jurisdiction"),
            "postal_code": _postal_code(card.text("postal_code")),
        },
    }


def read_passport(page: bytes, *, today: dt.date) -> dict[str, Any]:
    """A passport: the zone and the portrait, both on the data page."""
    page_image = open_photo(page)
    check_quality(page_image)
    data = read_zone(page_image, today=today)
    _check_unexpired(data.expiry_date, today)
    _check_portrait(page_image)
    return {
        "document_type": "P",
        "family_name": data.family_name,
        "given_names": data.given_names,
        "date_of_birth": data.date_of_birth.isoformat(),
        "expires_on": data.expiry_date.isoformat(),
        "number": data.document_number,
        "issuing_state": data.issuing_state,
        "address": {},
    }
