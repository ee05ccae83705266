"""Self-service identity verification through the pages: a licence and a passport verified,
each catalogued failure with its help page, duplicate SSNs, and the retention job."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from taxgov.common.audit.models import AuditEvent
from taxgov.common.messaging.models import OutboxMessage
from taxgov.identity.accounts.models import User
from taxgov.identity.verification import actions, queries
from taxgov.identity.verification.faces import Turn
from taxgov.identity.verification.models import Evidence, Outcome, Verification
from tests.support.documents import (
    SAMPLE_ELEMENTS,
    card_back_photo,
    card_file,
    card_front_photo,
    challenge_frames,
    jpeg,
    passport_page_photo,
    passport_zone,
    sample_face,
)

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
SSN, PHONE = "900-12-3456", "(617) 555-0123"


def person(email: str = "alex@example.test") -> User:
    user = User.objects.create_user(email=email, password=PASSWORD)
    user.email_confirmed_at = timezone.now()
    user.save()
    return user


def step(name: str) -> str:
    return reverse("verification:step", kwargs={"step": name})


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def licence_photos() -> dict:
    return {
        "front": upload("front.jpg", card_front_photo(sample_face("astronaut"), angle=2)),
        "back": upload("back.png", card_back_photo(card_file(SAMPLE_ELEMENTS), angle=-6)),
    }


def frames_for(verification: Verification, face: str = "astronaut") -> list[SimpleUploadedFile]:
    turn = Turn[verification.turn.upper()]
    return [upload(f"f{i}.jpg", jpeg(frame)) for i, frame in enumerate(challenge_frames(sample_face(face), turn.value))]


def case(client) -> Verification:
    return Verification.objects.get(user_id=int(client.session["_auth_user_id"]), outcome=Outcome.IN_PROGRESS)


def through_documents(client, kind: str = "driver_licence", photos: dict | None = None):
    client.post(step("consent"), {"agree": "on"})
    client.post(step("document"), {"document_kind": kind})
    return client.post(step("photos"), photos if photos is not None else licence_photos())


def through_selfie(client):
    through_documents(client)
    return client.post(step("selfie"), {"frames": frames_for(case(client))})


DETAILS = {
    "first_name": "Alex",
    "last_name": "Rivera",
    "tin": SSN,
    "date_of_birth": "03/15/1988",
    "address_line1": "12 Elm Street",
    "address_line2": "Apt 4",
    "city": "Worcester",
    "state": "MA",
    "postal_code": "01609",
}


def texted_code() -> str:
    message = OutboxMessage.objects.filter(recipients__contains="+16175550123").first()
    return re.search(r"\b(\d{6})\b", message.body_text).group(1)


def finish(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(step("phone"), {"phone": PHONE})
    client.post(step("code"), {"code": texted_code()})
    client.post(step("password"), {"password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(step("finish"))


def test_a_licence_verified_from_consent_to_the_decision(signed_in, records, django_capture_on_commit_callbacks):
    assert through_documents(signed_in)["Location"] == step("selfie")
    verification = case(signed_in)
    assert verification.consented_at
    assert "biometric" in verification.consent_text
    assert verification.document["issuing_state"] == "MA"
    assert set(verification.evidence.values_list("kind", flat=True)) == {"document_front", "document_back"}

    assert signed_in.post(step("selfie"), {"frames": frames_for(verification)})["Location"] == step("details")
    details_page = signed_in.get(step("details")).content.decode()
    assert 'value="12 Elm Street"' in details_page
    assert 'value="1988-03-15"' in details_page
    assert signed_in.post(step("details"), DETAILS)["Location"] == step("phone")
    response = finish(signed_in, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("verification:done")

    verified = queries.verified_identity(verification.user_id)
    assert verified.method == "self_service"
    assert verified.decided_at
    assert verified.face_distance < 0.6
    assert OutboxMessage.objects.filter(subject__icontains="verified your identity").exists()
    tags = list(AuditEvent.objects.filter(subject=f"verification:{verified.pk}").values_list("tag", flat=True))
    assert "identity:verification:verified" in tags
    assert all(SSN.replace("-", "") not in str(event.extra) for event in AuditEvent.objects.all())
    assert signed_in.get(reverse("verification:done")).status_code == 200


def test_a_passport_verified(signed_in, records, django_capture_on_commit_callbacks):
    response = through_documents(
        signed_in, "passport", {"page": upload("page.jpg", passport_page_photo(passport_zone(), angle=3, jpeg=85))}
    )
    assert response["Location"] == step("selfie")
    signed_in.post(step("selfie"), {"frames": frames_for(case(signed_in))})
    details = signed_in.get(step("details")).content.decode()
    assert 'value="Rivera"' in details
    assert 'name="address_line1"' in details
    assert 'value="12 Elm Street"' not in details
    assert signed_in.post(step("details"), DETAILS)["Location"] == step("phone")
    assert finish(signed_in, django_capture_on_commit_callbacks)["Location"] == reverse("verification:done")


WITHOUT_BIRTH_DATE = {key: value for key, value in SAMPLE_ELEMENTS.items() if key != "DBB"}


def failing_code(response) -> str:
    found = re.search(r"More about error (IDV-[A-Z]+-\d{3})", response.content.decode())
    return found.group(1) if found else ""


@pytest.mark.parametrize(
    ("photos", "code"),
    [
        (
            lambda: {
                "front": upload("f.jpg", card_front_photo(sample_face("astronaut"))),
                "back": upload("b.png", card_back_photo(card_file(SAMPLE_ELEMENTS), glare=True)),
            },
            "IDV-DOC-008",
        ),
        (
            lambda: {
                "front": upload("f.jpg", card_front_photo(sample_face("astronaut"))),
                "back": upload(
                    "b.png", card_back_photo(card_file({k: v for k, v in SAMPLE_ELEMENTS.items() if k != "DBB"}))
                ),
            },
            "IDV-DOC-002",
        ),
        (
            lambda: {
                "front": upload("f.jpg", card_front_photo(sample_face("astronaut"))),
                "back": upload("b.png", card_back_photo(card_file({**SAMPLE_ELEMENTS, "DBA": "01012020"}))),
            },
            "IDV-DOC-005",
        ),
        (
            lambda: {
                "front": upload("f.jpg", jpeg(sample_face("astronaut").resize((300, 300)))),
                "back": upload("b.png", card_back_photo(card_file(SAMPLE_ELEMENTS))),
            },
            "IDV-DOC-006",
        ),
    ],
    ids=["glare", "no birth date", "expired", "too small"],
)
def test_a_document_refused_shows_its_code_and_help_page(signed_in, records, photos, code):
    response = through_documents(signed_in, photos=photos())
    assert response.status_code == 200
    assert failing_code(response) == code
    assert case(signed_in).error_code == code
    assert AuditEvent.objects.filter(tag="identity:verification:step_failed", extra__code=code).exists()
    help_page = signed_in.get(reverse("verification:problem", kwargs={"code": code}))
    assert code in help_page.content.decode()
    assert "What you can do" in help_page.content.decode()


def test_the_sixth_document_attempt_in_six_hours_is_refused(signed_in, records):
    def bad():
        return {
            "front": upload("f.jpg", card_front_photo(sample_face("astronaut"))),
            "back": upload("b.png", card_back_photo(card_file(SAMPLE_ELEMENTS), glare=True)),
        }

    through_documents(signed_in, photos=bad())
    for _attempt in range(4):
        signed_in.post(step("photos"), bad())
    response = signed_in.post(step("photos"), licence_photos())
    assert failing_code(response) == "IDV-LIM-001"


def test_a_selfie_of_someone_else_is_a_face_mismatch(signed_in, records):
    through_documents(signed_in)
    response = signed_in.post(step("selfie"), {"frames": frames_for(case(signed_in), face="hopper")})
    assert failing_code(response) in {"IDV-FACE-003", "IDV-FACE-002"}


def test_records_mismatch_phone_not_in_name_and_a_wrong_code(signed_in, records, django_capture_on_commit_callbacks):
    through_selfie(signed_in)
    assert failing_code(signed_in.post(step("details"), {**DETAILS, "tin": "900-12-9999"})) == "IDV-REC-001"
    assert (
        failing_code(signed_in.post(step("details"), {**DETAILS, "date_of_birth": "03/16/1988"})) == ""
    )  # a field error
    signed_in.post(step("details"), DETAILS)
    assert failing_code(signed_in.post(step("phone"), {"phone": "(617) 555-0199"})) == "IDV-PHN-001"
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(step("phone"), {"phone": PHONE})
    assert (
        failing_code(signed_in.post(step("code"), {"code": "000000" if texted_code() != "000000" else "111111"}))
        == "IDV-PHN-002"
    )


def test_one_ssn_verifies_one_account(client, records, django_capture_on_commit_callbacks):
    client.force_login(person())
    through_selfie(client)
    client.post(step("details"), DETAILS)
    finish(client, django_capture_on_commit_callbacks)
    client.force_login(person("someone@example.test"))
    through_selfie(client)
    # Without the person's other details, nothing says the SSN has an account.
    assert failing_code(client.post(step("details"), {**DETAILS, "address_line1": "9 Oak Road"})) == "IDV-REC-001"
    assert failing_code(client.post(step("details"), DETAILS)) == "IDV-REC-002"


def test_biometrics_are_deleted_after_the_decision_unless_held(
    client, records, django_capture_on_commit_callbacks, settings
):
    settings.TAXGOV_IDV_BIOMETRIC_RETENTION_HOURS = 24
    cases = []
    for email in ("one@example.test", "two@example.test"):
        client.force_login(person(email))
        through_selfie(client)
        cases.append(case(client))
    for verification in cases:
        verification.outcome, verification.decided_at = Outcome.FAILED, timezone.now()
        verification.save()
    held = cases[1]
    decided = held.decided_at
    actions.do_place_fraud_hold(
        held, reason="Document looks altered", until=decided + dt.timedelta(days=3), placed_by="user:1"
    )

    assert actions.do_delete_expired_biometrics(decided + dt.timedelta(hours=23)) == 0
    assert actions.do_delete_expired_biometrics(decided + dt.timedelta(hours=25)) == 1
    assert not Evidence.objects.filter(verification=cases[0]).exists()
    assert Evidence.objects.filter(verification=held).exists()
    cases[0].refresh_from_db()
    assert cases[0].biometrics_deleted_at == decided + dt.timedelta(hours=25)
    assert actions.do_delete_expired_biometrics(decided + dt.timedelta(days=3, hours=1)) == 1
    assert not Evidence.objects.filter(verification=held).exists()
