"""The video-call path through the pages: documents first, the live line with its estimated
wait, being told when an agent is ready, appointments (booked, moved, cancelled, checked in
to), the agents' console with its strong sign-in, the signalling, each decision, the job that
drops people who left, and the supervisors' figures."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from taxgov.common.audit.models import AuditEvent
from taxgov.common.messaging.models import OutboxMessage
from taxgov.identity.signin.views import SECOND_STEP_PASSED_KEY
from taxgov.identity.verification.models import Outcome, Verification
from taxgov.identity.videocall import actions, queries
from taxgov.identity.videocall.models import AgentShift, CallState, VideoCall
from tests.integration.identity.verification.test_self_service import (
    DETAILS,
    SSN,
    case,
    licence_photos,
    person,
    upload,
)
from tests.support.documents import card_front_photo, sample_face

pytestmark = pytest.mark.django_db


def video_step(name: str) -> str:
    return reverse("verification:video_step", kwargs={"step": name})


def through_review(client, photos: dict | None = None, details: dict | None = None):
    client.post(reverse("verification:choose_video_call"))
    client.post(video_step("consent"), {"agree": "on"})
    client.post(video_step("document"), {"document_kind": "driver_licence"})
    client.post(video_step("photos"), photos or licence_photos())
    client.post(video_step("details"), details or DETAILS)
    return client.post(video_step("review"))


@pytest.fixture
def caller(client, records):
    client.force_login(person())
    return client


def make_agent(email: str, *, supervisor: bool = False, second_step: bool = True):
    agent = person(email)
    agent.is_staff = True
    agent.save()
    codenames = ["answer_video_calls", *(["see_video_call_figures"] if supervisor else [])]
    agent.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    browser = Client()
    browser.force_login(agent)
    session = browser.session
    session[SECOND_STEP_PASSED_KEY] = second_step
    session.save()
    return agent, browser


@pytest.fixture
def agent():
    return make_agent("agent@verifyid.example", supervisor=True)


def test_documents_first_then_the_line_an_agent_and_an_approval(caller, agent, django_capture_on_commit_callbacks):
    assert through_review(caller)["Location"] == reverse("videocall:lobby")
    verification = case(caller)
    assert verification.method == "video_agent"
    assert "video call" in verification.consent_text
    assert verification.records_matched_at
    assert verification.documents_submitted_at
    assert "No agents are on duty" in caller.get(reverse("videocall:lobby")).content.decode()

    caller.post(reverse("videocall:join_line"))
    call = VideoCall.objects.get(verification=verification)
    assert call.state == CallState.WAITING
    assert "number 1 in line. No agents are on duty" in caller.get(reverse("videocall:status")).json()["message"]

    user, desk = agent
    desk.post(reverse("videocall:shift"), {"duty": "on"})
    status = caller.get(reverse("videocall:status")).json()
    assert status["message"] == "You are number 1 in line. An agent should be with you in a moment."
    console = desk.get(reverse("videocall:console")).content.decode()
    assert "Answer the next person" in console
    assert "Driver&#x27;s license" in console

    response = desk.post(reverse("videocall:call_next"))
    call.refresh_from_db()
    assert response["Location"] == reverse("videocall:case", kwargs={"public_id": call.public_id})
    assert call.state == CallState.CALLED
    assert call.agent_id == user.pk
    page = desk.get(response["Location"]).content.decode()
    assert "•••-••-3456" in page
    assert SSN not in page
    assert "camera=(self)" in desk.get(response["Location"]).headers["Permissions-Policy"]
    front = desk.get(reverse("videocall:evidence", kwargs={"public_id": call.public_id, "kind": "document_front"}))
    assert front.status_code == 200
    assert front.headers["Cache-Control"] == "no-store"

    assert caller.get(reverse("videocall:status")).json()["next"] == reverse("videocall:lobby")
    assert "Join the video call" in caller.get(reverse("videocall:lobby")).content.decode()
    assert caller.get(reverse("videocall:room")).status_code == 200
    call.refresh_from_db()
    assert call.state == CallState.IN_CALL
    assert call.answered_at

    offer = json.dumps({"gen": 1, "description": {"type": "offer", "sdp": "v=0"}})
    assert caller.post(reverse("videocall:signal"), {"kind": "offer", "body": offer}).json() == {"ok": True}
    signal_url = reverse("videocall:agent_signal", kwargs={"public_id": call.public_id})
    received = desk.get(signal_url, {"after": 0}).json()["messages"]
    assert [message["kind"] for message in received] == ["offer"]
    assert desk.get(signal_url, {"after": received[-1]["id"]}).json()["messages"] == []
    assert caller.post(reverse("videocall:signal"), {"kind": "offer", "body": "not json"}).status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            reverse("videocall:case", kwargs={"public_id": call.public_id}),
            {"result": "approved", "reason": "Licence and face match; answered questions."},
        )
    assert response["Location"] == reverse("videocall:console")
    verification.refresh_from_db()
    assert verification.outcome == Outcome.VERIFIED
    assert verification.method == "video_agent"
    assert verification.decided_by == f"agent:{user.pk}"
    call.refresh_from_db()
    assert call.state == CallState.ENDED
    assert call.result == "approved"
    assert not call.signals.exists()
    assert OutboxMessage.objects.filter(subject__icontains="verified your identity").exists()
    assert caller.get(reverse("videocall:status")).json()["next"] == reverse("videocall:lobby")
    assert caller.get(reverse("videocall:lobby"))["Location"] == reverse("verification:done")
    tags = set(AuditEvent.objects.values_list("tag", flat=True))
    assert {
        "identity:videocall:joined_line",
        "identity:videocall:called",
        "identity:videocall:answered",
        "identity:videocall:evidence_viewed",
        "identity:videocall:decided",
        "identity:verification:verified",
    } <= tags
    assert all("Licence and face" not in str(event.extra) for event in AuditEvent.objects.all())


def test_a_document_the_machines_cannot_read_goes_to_the_agent(caller):
    unreadable_back = {
        "front": upload("front.jpg", card_front_photo(sample_face("astronaut"))),
        "back": upload("back.jpg", card_front_photo(sample_face("hopper"))),
    }
    moved = {**DETAILS, "address_line1": "1 New Road", "postal_code": "02110", "city": "Boston"}
    through_review(caller, unreadable_back, moved)
    verification = case(caller)
    assert verification.document == {"unread": "IDV-DOC-001"}
    assert verification.records_matched_at is None
    assert verification.documents_submitted_at


def test_the_console_wants_a_staff_agent_signed_in_with_a_second_step(caller):
    _agent, remembered = make_agent("remembered@verifyid.example", second_step=False)
    response = remembered.get(reverse("videocall:console"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("signin:sign_in"))
    assert "_auth_user_id" not in remembered.session
    assert caller.get(reverse("videocall:console")).status_code == 403
    _plain, staff = make_agent("other@verifyid.example")
    through_review(caller)
    caller.post(reverse("videocall:join_line"))
    call = VideoCall.objects.get()
    # Another agent's call, or one nobody took: no signalling, no decision.
    assert staff.get(reverse("videocall:agent_signal", kwargs={"public_id": call.public_id})).status_code == 404
    decision = {"result": "approved", "reason": "x"}
    assert staff.post(reverse("videocall:case", kwargs={"public_id": call.public_id}), decision).status_code == 404


def test_the_estimated_wait_shares_the_line_among_the_agents_on_duty(settings):
    settings.TAXGOV_IDV_VIDEO = {**settings.TAXGOV_IDV_VIDEO, "default_handling_minutes": 10}
    calls = []
    for n in range(3):
        user = person(f"p{n}@example.test")
        verification = Verification.objects.create(
            user=user, method="video_agent", documents_submitted_at=timezone.now()
        )
        calls.append(
            VideoCall.objects.create(verification=verification, joined_at=timezone.now() + dt.timedelta(seconds=n))
        )
    assert queries.estimated_wait(calls[2]).minutes is None
    for n in range(2):
        AgentShift.objects.create(agent=person(f"a{n}@verifyid.example"))
    assert [queries.estimated_wait(call).minutes for call in calls] == [0, 5, 10]
    assert queries.estimated_wait(calls[2]).position == 3
    # A finished 20-minute call makes the handling time 20 minutes.
    ended = timezone.now()
    VideoCall.objects.create(
        verification=Verification.objects.create(user=person("done@example.test")),
        state=CallState.ENDED,
        result="approved",
        answered_at=ended - dt.timedelta(minutes=20),
        ended_at=ended,
    )
    assert queries.estimated_wait(calls[2]).minutes == 20


def test_told_by_text_when_an_agent_is_ready(caller, agent, django_capture_on_commit_callbacks):
    through_review(caller)
    caller.post(reverse("videocall:join_line"))
    bad = caller.post(reverse("videocall:notify"), {"notify_by": "sms", "phone": "12"})
    assert bad.status_code == 400
    assert "10-digit" in bad.content.decode()
    caller.post(reverse("videocall:notify"), {"notify_by": "sms", "phone": "(617) 555-0199"})
    _user, desk = agent
    desk.post(reverse("videocall:shift"), {"duty": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("videocall:call_next"))
    text = OutboxMessage.objects.get(channel="sms", recipients__contains="+16175550199")
    assert "an agent is ready" in text.body_text
    assert "/verify/call/" in text.body_text


def local(days: int, hour: int, minute: int = 0) -> dt.datetime:
    today = timezone.localdate()
    return dt.datetime.combine(
        today + dt.timedelta(days=days), dt.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def test_appointment_times_are_two_hours_to_seven_days_out_with_limited_seats(
    caller, django_capture_on_commit_callbacks
):
    now = local(1, 9)
    tomorrow = queries.slots(now, now.date())
    assert tomorrow[0][0] == local(1, 11)
    assert tomorrow[-1][0] == local(1, 19, 30)
    assert queries.slots(now, (now + dt.timedelta(days=8)).date()) == []
    last_day = queries.slots(now, (now + dt.timedelta(days=7)).date())
    assert last_day[-1][0] == local(8, 9)
    assert not queries.is_bookable(now, local(1, 10, 30))

    through_review(caller)
    when = queries.slots(timezone.now(), queries.bookable_days(timezone.now())[1])[0][0]
    with django_capture_on_commit_callbacks(execute=True):
        response = caller.post(reverse("videocall:book") + f"?day={when.date()}", {"slot": when.isoformat()})
    assert response["Location"] == reverse("videocall:lobby")
    first = VideoCall.objects.get(verification=case(caller), state=CallState.WAITING)
    assert first.scheduled_for == when
    assert first.seat == 0
    assert OutboxMessage.objects.filter(subject="Your video call is booked").exists()
    for n in range(1, 2):
        other = Verification.objects.create(user=person(f"o{n}@example.test"), method="video_agent")
        VideoCall.objects.create(verification=other, scheduled_for=when, seat=n)
    assert all(slot != when for slot, _left in queries.slots(timezone.now(), when.date()) if _left < 1)

    later = when + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        caller.post(reverse("videocall:book") + f"?day={later.date()}", {"slot": later.isoformat()})
    first.refresh_from_db()
    assert first.state == CallState.CANCELLED
    moved = VideoCall.objects.get(verification=case(caller), state=CallState.WAITING)
    assert moved.scheduled_for == later
    assert OutboxMessage.objects.filter(subject="Your video call has a new time").exists()
    caller.post(reverse("videocall:leave"))
    moved.refresh_from_db()
    assert moved.state == CallState.CANCELLED


def test_a_full_slot_cannot_be_booked(caller):
    through_review(caller)
    when = queries.slots(timezone.now(), queries.bookable_days(timezone.now())[1])[0][0]
    for n in range(2):
        other = Verification.objects.create(user=person(f"f{n}@example.test"), method="video_agent")
        VideoCall.objects.create(verification=other, scheduled_for=when, seat=n)
    response = caller.post(reverse("videocall:book") + f"?day={when.date()}", {"slot": when.isoformat()})
    assert response.status_code == 400
    assert "no longer free" in response.content.decode()
    assert not VideoCall.objects.filter(verification=case(caller)).exists()


def test_an_appointment_checked_in_and_answered(caller, agent):
    through_review(caller)
    verification = case(caller)
    call = VideoCall.objects.create(
        verification=verification, scheduled_for=timezone.now() + dt.timedelta(hours=3), seat=0
    )
    assert "check in" not in caller.get(reverse("videocall:lobby")).content.decode().lower().split("come back")[0]
    caller.post(reverse("videocall:check_in"))
    call.refresh_from_db()
    assert call.checked_in_at is None  # too early
    VideoCall.objects.filter(pk=call.pk).update(scheduled_for=timezone.now() + dt.timedelta(minutes=10))
    caller.post(reverse("videocall:check_in"))
    call.refresh_from_db()
    assert call.checked_in_at
    _user, desk = agent
    desk.post(reverse("videocall:shift"), {"duty": "on"})
    assert "Start the call" in desk.get(reverse("videocall:console")).content.decode()
    desk.post(reverse("videocall:call_appointment", kwargs={"public_id": call.public_id}))
    call.refresh_from_db()
    assert call.state == CallState.CALLED
    assert queries.figures(timezone.now() - dt.timedelta(days=1)).answered == 0


@pytest.mark.parametrize("result", ["denied", "more_documents"])
def test_denied_or_asked_for_more_documents(caller, agent, result, django_capture_on_commit_callbacks):
    through_review(caller)
    caller.post(reverse("videocall:join_line"))
    _user, desk = agent
    desk.post(reverse("videocall:shift"), {"duty": "on"})
    desk.post(reverse("videocall:call_next"))
    caller.get(reverse("videocall:room"))
    call = VideoCall.objects.get()
    url = reverse("videocall:case", kwargs={"public_id": call.public_id})
    assert desk.post(url, {"result": result, "reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(url, {"result": result, "reason": "The licence photo is too dark to compare."})
    verification = Verification.objects.get(pk=call.verification_id)
    lobby = caller.get(reverse("videocall:lobby"))
    if result == "denied":
        assert verification.outcome == Outcome.FAILED
        assert verification.error_code == "IDV-VID-001"
        assert lobby["Location"] == reverse("verification:problem", kwargs={"code": "IDV-VID-001"})
        assert OutboxMessage.objects.filter(subject="We could not verify your identity").exists()
    else:
        assert verification.outcome == Outcome.IN_PROGRESS
        assert verification.documents_submitted_at is None
        assert verification.document_read_at is None
        assert "too dark to compare" in lobby.content.decode()
        assert caller.get(reverse("verification:video_resume"))["Location"] == reverse(
            "verification:video_step", kwargs={"step": "photos"}
        )
        assert OutboxMessage.objects.filter(subject="Action required: update your documents").exists()


def test_the_job_drops_people_who_left_or_never_joined(caller):
    now = timezone.now()
    through_review(caller)
    verification = case(caller)
    gone = VideoCall.objects.create(verification=verification, last_seen_at=now - dt.timedelta(minutes=4))
    others = []
    for n, fields in enumerate(
        [
            {"notify_by": "email", "last_seen_at": now - dt.timedelta(hours=1)},  # asked to be told
            {"state": CallState.CALLED, "called_at": now - dt.timedelta(minutes=11)},  # did not join
            {"last_seen_at": now},  # still on the page
        ]
    ):
        other = Verification.objects.create(user=person(f"j{n}@example.test"), method="video_agent")
        others.append(VideoCall.objects.create(verification=other, **fields))
    assert actions.do_expire_calls(now) == 2
    states = [VideoCall.objects.get(pk=call.pk).state for call in [gone, *others]]
    assert states == [CallState.ABANDONED, CallState.WAITING, CallState.ABANDONED, CallState.WAITING]


def test_figures_for_supervisors(agent):
    now = timezone.now()
    for n, (waited, handled, state) in enumerate([(4, 10, "ended"), (8, 20, "ended"), (None, None, "abandoned")]):
        verification = Verification.objects.create(user=person(f"s{n}@example.test"), method="video_agent")
        joined = now - dt.timedelta(hours=1)
        fields = {"state": state, "joined_at": joined, "ended_at": now}
        if waited is not None:
            called = joined + dt.timedelta(minutes=waited)
            fields |= {"called_at": called, "answered_at": called, "ended_at": called + dt.timedelta(minutes=handled)}
            fields["result"] = "approved"
        VideoCall.objects.create(verification=verification, **fields)
    figures = queries.figures(now - dt.timedelta(days=1))
    assert (figures.answered, figures.abandoned, figures.no_shows) == (2, 1, 0)
    assert (figures.wait_median, figures.wait_p90, figures.handling_mean) == (6.0, 8.0, 15.0)
    assert round(figures.abandonment_rate, 2) == 0.33
    _user, desk = agent
    page = desk.get(reverse("videocall:figures")).content.decode()
    assert "Median wait (minutes)" in page
    assert "33%" in page
    _plain, plain_agent = make_agent("plain@verifyid.example")
    assert plain_agent.get(reverse("videocall:figures")).status_code == 403


def test_a_fraud_hold_keeps_the_photos_until_it_expires_or_is_released(caller, agent):
    from taxgov.identity.verification.actions import do_delete_expired_biometrics

    through_review(caller)
    caller.post(reverse("videocall:join_line"))
    _user, desk = agent
    desk.post(reverse("videocall:shift"), {"duty": "on"})
    desk.post(reverse("videocall:call_next"))
    call = VideoCall.objects.get()
    case_url = reverse("videocall:case", kwargs={"public_id": call.public_id})
    hold_url = reverse("videocall:place_hold", kwargs={"public_id": call.public_id})
    assert desk.post(hold_url, {"hold_reason": "", "hold_days": "0"}).status_code == 400
    desk.post(hold_url, {"hold_reason": "Same face on three accounts.", "hold_days": "30"})
    desk.post(case_url, {"result": "denied", "reason": "The person on camera is not the person on the licence."})
    verification = Verification.objects.get(pk=call.verification_id)
    hold = verification.fraud_holds.get()
    assert "Same face on three accounts." in desk.get(case_url).content.decode()

    after_retention = verification.decided_at + dt.timedelta(hours=25)
    assert do_delete_expired_biometrics(after_retention) == 0
    assert verification.evidence.count() == 2
    assert do_delete_expired_biometrics(hold.expires_at + dt.timedelta(minutes=1)) == 1
    assert verification.evidence.count() == 0


def test_a_released_hold_lets_the_job_delete(caller, agent):
    from taxgov.identity.verification.actions import do_delete_expired_biometrics

    through_review(caller)
    caller.post(reverse("videocall:join_line"))
    _user, desk = agent
    call = VideoCall.objects.get()
    desk.post(
        reverse("videocall:place_hold", kwargs={"public_id": call.public_id}),
        {"hold_reason": "Document looks edited.", "hold_days": "90"},
    )
    hold = call.verification.fraud_holds.get()
    tomorrow = timezone.now() + dt.timedelta(hours=25)
    assert do_delete_expired_biometrics(tomorrow) == 0  # an unfinished case's photos, held
    desk.post(reverse("videocall:release_hold", kwargs={"public_id": call.public_id, "hold_id": hold.pk}))
    hold.refresh_from_db()
    assert hold.released_at
    assert do_delete_expired_biometrics(tomorrow) == 1
    tags = list(AuditEvent.objects.values_list("tag", flat=True))
    assert "identity:verification:fraud_hold_placed" in tags
    assert "identity:verification:fraud_hold_released" in tags
