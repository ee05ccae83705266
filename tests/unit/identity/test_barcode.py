"""Reading the PDF417 on photos of card backs, level or turned as a hand-held photo is."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from taxgov.identity.verification.documents.barcode import read_card_back
from taxgov.identity.verification.errors import VerificationError
from tests.support.documents import SAMPLE_ELEMENTS, card_back_photo, card_file, card_front_photo, sample_face


@pytest.mark.parametrize("angle", [0, 3, -7, 11, -16, 22, 180])
def test_the_card_data_is_read_at_any_angle_up_to_twenty_five_degrees(angle: float):
    card = read_card_back(card_back_photo(card_file(SAMPLE_ELEMENTS), angle=angle))
    assert card.family_name == "RIVERA"
    assert card.text("customer_id") == "S12345678"


def test_a_photo_without_a_barcode_and_a_file_that_is_not_an_image():
    no_barcode = card_front_photo(sample_face("hopper"))
    broken = card_back_photo(card_file(SAMPLE_ELEMENTS)).replace(b"IDAT", b"IDAX", 1)
    for data, code in ((no_barcode, "IDV-DOC-001"), (broken, "IDV-IMG-001"), (b"not an image", "IDV-IMG-001")):
        with pytest.raises(VerificationError) as error:
            read_card_back(data)
        assert error.value.code == code


def test_a_card_cut_off_by_the_photo_edge():
    photo = Image.open(io.BytesIO(card_back_photo(card_file(SAMPLE_ELEMENTS))))
    cut = photo.crop((0, 0, 1016, photo.height))  # the barcode ends at x = 1014
    buffer = io.BytesIO()
    cut.save(buffer, format="PNG")
    with pytest.raises(VerificationError) as error:
        read_card_back(buffer.getvalue())
    assert error.value.code == "IDV-DOC-009"
