"""Faces: finding one in a photo, comparing a selfie with a document's portrait, and judging
an active liveness challenge from the frames a camera captured during it.

dlib's HOG detector finds faces, its 5-point shape predictor places the eyes and nose, and
its ResNet model turns a face into 128 numbers; two photos of one person lie closer than
``settings.TAXGOV_IDV_FACE_MATCH_THRESHOLD`` (0.6 by default: dlib reports 99.38% on LFW at that
threshold; our own measurements are in docs/idv.md). The models ship inside the
``face_recognition_models`` package and are loaded once per process; nothing is downloaded.

Liveness: the person is asked to turn their head one way. In every frame the nose's offset
from the point between the eyes, as a share of the distance between the eyes, measures how
far the head is turned (``yaw``). The challenge passes when the first frame faces the
camera, a later frame is turned the asked way by at least ``TURN``, and every frame shows
the same person. This defeats a still photo held to the camera and a replayed frontal video;
it is not presentation-attack detection against a crafted video or a mask (docs/idv.md).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

import dlib
import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from PIL import Image

from taxgov.identity.verification.errors import VerificationError

MAX_SIDE = 1280  # photos are scaled down to this before looking for a face; it needs no more
FACING = 0.10  # the yaw within which a face counts as facing the camera
TURN = 0.10  # how much further the yaw must move the asked way
MIN_FRAMES, MAX_FRAMES = 3, 12


class Turn(Enum):
    """The direction to turn the head, named as the person sees it. The camera's picture is
    not mirrored, so turning to one's left moves the nose to the picture's right."""

    LEFT = 1
    RIGHT = -1


@dataclass(frozen=True)
class Face:
    descriptor: np.ndarray
    yaw: float
    nose: tuple[float, float]
    eyes_apart: float


@dataclass(frozen=True)
class Match:
    distance: float
    threshold: float

    @property
    def matched(self) -> bool:
        return self.distance < self.threshold


@cache
def _models() -> tuple[Any, Any, Any]:
    spec = importlib.util.find_spec("face_recognition_models")  # not imported: its __init__ needs pkg_resources
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured("face_recognition_models is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "models"
    return (
        dlib.get_frontal_face_detector(),
        dlib.shape_predictor(str(folder / "shape_predictor_5_face_landmarks.dat")),
        dlib.face_recognition_model_v1(str(folder / "dlib_face_recognition_resnet_model_v1.dat")),
    )


def find_face(image: Image.Image, *, code: str = "IDV-FACE-001") -> Face:
    """The most face-like detection in ``image``: not the largest, since a badge, a patch or
    a document's ghost portrait can be detected as a face too, if a weaker one."""
    detector, shapes, encoder = _models()
    if max(image.size) > MAX_SIDE:
        image = image.copy()
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    pixels = np.asarray(image.convert("RGB"))
    boxes, scores, _kinds = detector.run(pixels, 1, 0.0)
    if not boxes:
        raise VerificationError("no face found", code=code)
    box = boxes[int(np.argmax(scores))]
    shape = shapes(pixels, box)
    points = np.array([(point.x, point.y) for point in shape.parts()], dtype=np.float64)
    one_eye, other_eye, nose = points[0:2].mean(axis=0), points[2:4].mean(axis=0), points[4]
    between = np.linalg.norm(one_eye - other_eye)
    yaw = float((nose[0] - (one_eye[0] + other_eye[0]) / 2) / between) if between else 0.0
    return Face(
        descriptor=np.array(encoder.compute_face_descriptor(pixels, shape)),
        yaw=yaw,
        nose=(float(nose[0]), float(nose[1])),
        eyes_apart=float(between),
    )


def compare(one: Face, other: Face) -> Match:
    distance = float(np.linalg.norm(one.descriptor - other.descriptor))
    return Match(distance=distance, threshold=settings.TAXGOV_IDV_FACE_MATCH_THRESHOLD)


def judge_liveness(frames: list[Image.Image], turn: Turn) -> Face:
    """The frontal face from a challenge that passed; raises if it did not: no face at the
    start is IDV-FACE-001 (light, framing), a face that comes and goes or does not turn is
    IDV-FACE-002."""
    if not MIN_FRAMES <= len(frames) <= MAX_FRAMES:
        raise VerificationError("wrong number of frames", code="IDV-FACE-002")
    faces = [find_face(frames[0]), *[find_face(frame, code="IDV-FACE-002") for frame in frames[1:]]]
    first = faces[0]
    if abs(first.yaw) > FACING:
        raise VerificationError("the challenge did not start facing the camera", code="IDV-FACE-002")
    if max((face.yaw - first.yaw) * turn.value for face in faces[1:]) < TURN:
        raise VerificationError("the head did not turn the asked way", code="IDV-FACE-002")
    if any(not compare(first, face).matched for face in faces[1:]):
        raise VerificationError("the frames show more than one person", code="IDV-FACE-002")
    return first
