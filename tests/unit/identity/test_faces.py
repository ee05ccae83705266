"""Face match and the head-turn liveness challenge, on photos that ship inside packages."""

from __future__ import annotations

import pytest
from django.test import override_settings
from PIL import Image, ImageFilter

from taxgov.identity.verification.errors import VerificationError
from taxgov.identity.verification.faces import Turn, compare, find_face, judge_liveness
from tests.support.documents import challenge_frames, sample_face


def id_card_portrait(face: Image.Image) -> Image.Image:
    """The face as a card prints it: small, grey, soft, on a card."""
    portrait = face.convert("L").filter(ImageFilter.GaussianBlur(1.0)).convert("RGB")
    portrait.thumbnail((260, 320))
    card = Image.new("RGB", (1000, 630), (225, 230, 240))
    card.paste(portrait, (40, 150))
    return card


def test_the_same_person_matches_and_another_does_not():
    astronaut, hopper = sample_face("astronaut"), sample_face("hopper")
    on_card = find_face(id_card_portrait(astronaut))
    assert compare(on_card, find_face(astronaut.transpose(Image.Transpose.FLIP_LEFT_RIGHT))).matched
    assert not compare(on_card, find_face(hopper)).matched


def test_the_threshold_is_configurable():
    astronaut = sample_face("astronaut")
    same = compare(find_face(id_card_portrait(astronaut)), find_face(astronaut))
    with override_settings(TAXGOV_IDV_FACE_MATCH_THRESHOLD=same.distance / 2):
        assert not compare(find_face(id_card_portrait(astronaut)), find_face(astronaut)).matched


def test_no_face():
    with pytest.raises(VerificationError) as error:
        find_face(Image.new("RGB", (640, 480), (200, 200, 200)))
    assert error.value.code == "IDV-FACE-001"


def test_a_challenge_with_no_face_at_all_is_no_face():
    with pytest.raises(VerificationError) as error:
        judge_liveness([Image.new("RGB", (640, 480), (60, 60, 60))] * 5, Turn.LEFT)
    assert error.value.code == "IDV-FACE-001"


@pytest.mark.parametrize("turn", list(Turn))
def test_a_head_turned_the_asked_way_passes(turn):
    frames = challenge_frames(sample_face("astronaut"), turn.value)
    assert compare(judge_liveness(frames, turn), find_face(sample_face("astronaut"))).matched


@pytest.mark.parametrize(
    "frames",
    [
        pytest.param(lambda: [sample_face("astronaut")] * 5, id="a still photo"),
        pytest.param(lambda: challenge_frames(sample_face("astronaut"), Turn.RIGHT.value), id="turned the wrong way"),
        pytest.param(
            lambda: [*challenge_frames(sample_face("astronaut"), Turn.LEFT.value)[:4], sample_face("hopper")],
            id="another person",
        ),
        pytest.param(lambda: [sample_face("astronaut")], id="too few frames"),
    ],
)
def test_a_challenge_that_fails(frames):
    with pytest.raises(VerificationError) as error:
        judge_liveness(frames(), Turn.LEFT)
    assert error.value.code == "IDV-FACE-002"
