"""Uploads that are not usable photos, through the verification pages: broken files, files over
the size limit and decompression bombs are refused with a message that says why, nothing is
stored, and no image larger than ``MAX_PIXELS`` is ever decoded. The only uploads in the three
deployables are these photos (the ID's photos and the selfie's frames, on the self-service and
the video-call paths); none takes a PDF or a ZIP, and a PDF sent as a photo is refused."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import ImageFile

from taxgov.identity.verification.documents.images import MAX_PIXELS
from taxgov.identity.verification.forms import MAX_UPLOAD
from taxgov.identity.verification.models import Evidence, Verification
from tests.integration.identity.verification.test_self_service import (
    case,
    failing_code,
    frames_for,
    licence_photos,
    step,
    through_documents,
    upload,
)
from tests.support.documents import card_front_photo, sample_face
from tests.support.uploads import blank_png, jpeg_claiming, pdf, png_claiming, random_bytes, truncated

pytestmark = pytest.mark.django_db
UNREADABLE = "We could not open that file as a photo."
TOO_MANY_PIXELS = "The photo is too large to check: it has more than 30 million pixels."
BROKEN = {
    "truncated JPEG": lambda: truncated(card_front_photo(sample_face("astronaut"))),
    "random bytes": random_bytes,
    "PDF named .jpg": pdf,
}
BOMBS = {
    "PNG claiming 50,000 x 50,000": lambda: png_claiming(50_000, 50_000),
    "blank PNG of 6,000 x 6,000": lambda: blank_png(6_000, 6_000),
    "JPEG claiming 7,000 x 5,000": lambda: jpeg_claiming(7_000, 5_000),
}


@contextmanager
def decoding() -> Iterator[list[int]]:
    """The size of every image Pillow decodes meanwhile."""
    sizes: list[int] = []
    load = ImageFile.ImageFile.load

    def counting_load(image: ImageFile.ImageFile) -> Any:
        sizes.append(image.width * image.height)
        return load(image)

    with mock.patch.object(ImageFile.ImageFile, "load", counting_load):
        yield sizes


def at_the_photos(client, video: bool = False) -> None:
    if video:
        client.post(reverse("verification:choose_video_call"))
    url = video_step if video else step
    client.post(url("consent"), {"agree": "on"})
    client.post(url("document"), {"document_kind": "driver_licence"})


def video_step(name: str) -> str:
    return reverse("verification:video_step", kwargs={"step": name})


def with_front(data: bytes, name: str = "front.jpg") -> dict:
    return {**licence_photos(), "front": upload(name, data)}


def assert_nothing_stored(client) -> None:
    verification = case(client)
    assert not Evidence.objects.filter(verification=verification).exists()
    assert verification.document_data == ""
    assert verification.document_read_at is None


@pytest.mark.parametrize("make", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_file_is_refused_and_nothing_is_stored(signed_in, records, make):
    at_the_photos(signed_in)

    response = signed_in.post(step("photos"), with_front(make()))

    assert response.status_code == 200
    assert failing_code(response) == "IDV-IMG-001"
    assert UNREADABLE in response.content.decode()
    assert_nothing_stored(signed_in)


def test_an_empty_file_is_refused(signed_in, records):
    at_the_photos(signed_in)

    response = signed_in.post(step("photos"), with_front(b""))

    assert response.status_code == 200
    assert "The submitted file is empty." in response.content.decode()
    assert_nothing_stored(signed_in)


def test_a_photo_over_the_size_limit_is_refused_unread(signed_in, records):
    at_the_photos(signed_in)
    photos = with_front(b"\xff\xd8" + bytes(MAX_UPLOAD - 1))

    with decoding() as decoded:
        response = signed_in.post(step("photos"), photos)

    assert response.status_code == 200
    assert "The photo must be smaller than 10 MB." in response.content.decode()
    assert decoded == []
    assert_nothing_stored(signed_in)


@pytest.mark.parametrize("make", BOMBS.values(), ids=BOMBS.keys())
def test_a_decompression_bomb_is_refused_before_it_is_decoded(signed_in, records, make):
    at_the_photos(signed_in)
    photos = with_front(make(), "front.png")

    with decoding() as decoded:
        response = signed_in.post(step("photos"), photos)

    assert response.status_code == 200
    assert failing_code(response) == "IDV-IMG-002"
    assert TOO_MANY_PIXELS in response.content.decode()
    assert max(decoded, default=0) <= MAX_PIXELS
    assert_nothing_stored(signed_in)


def test_the_message_is_in_spanish_too(signed_in, records):
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    at_the_photos(signed_in)

    response = signed_in.post(step("photos"), with_front(png_claiming(50_000, 50_000), "front.png"))

    assert "La foto es demasiado grande para revisarla: tiene más de 30 millones de píxeles." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("make", "code", "message"),
    [(random_bytes, "IDV-IMG-001", UNREADABLE), (lambda: png_claiming(50_000, 50_000), "IDV-IMG-002", TOO_MANY_PIXELS)],
    ids=["random bytes", "bomb"],
)
def test_on_the_video_path_an_unusable_file_is_not_passed_to_the_agent(signed_in, records, make, code, message):
    """A document the machines cannot read goes to the agent; a file that is no photo does not."""
    at_the_photos(signed_in, video=True)

    response = signed_in.post(video_step("photos"), {**licence_photos(), "back": upload("back.jpg", make())})

    assert failing_code(response) == code
    assert message in response.content.decode()
    assert_nothing_stored(signed_in)


@pytest.mark.parametrize(
    ("make", "code", "message"),
    [(pdf, "IDV-IMG-001", UNREADABLE), (lambda: blank_png(6_000, 6_000), "IDV-IMG-002", TOO_MANY_PIXELS)],
    ids=["PDF", "bomb"],
)
def test_a_selfie_frame_that_is_no_photo_is_refused(signed_in, records, make, code, message):
    through_documents(signed_in)
    verification = case(signed_in)
    frames = frames_for(verification)

    with decoding() as decoded:
        response = signed_in.post(step("selfie"), {"frames": [frames[0], upload("f9.jpg", make()), *frames[1:]]})

    assert failing_code(response) == code
    assert message in response.content.decode()
    assert max(decoded) <= MAX_PIXELS  # the first frame is read before the refusal
    verification = Verification.objects.get(pk=verification.pk)
    assert verification.selfie_matched_at is None
    assert not verification.evidence.filter(kind="selfie").exists()


def test_a_request_over_the_cap_is_refused_unread(signed_in, records):
    at_the_photos(signed_in)
    over = settings.TAXGOV_MAX_REQUEST_BYTES // 2 + 1
    photos = {"front": upload("front.jpg", bytes(over)), "back": upload("back.jpg", bytes(over))}

    with decoding() as decoded:
        response = signed_in.post(step("photos"), photos)

    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()
    assert decoded == []
    assert_nothing_stored(signed_in)
