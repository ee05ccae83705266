"""Every write of video calls, each in a transaction with its audit event; messages go when
it commits. Audit events carry the call and the case, never what the agent wrote."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from taxgov.common.audit.actions import record_event
from taxgov.common.messaging.api import send_email, send_sms
from taxgov.identity.verification import actions as verification_actions
from taxgov.identity.verification.models import Verification
from taxgov.identity.videocall.models import AgentShift, CallResult, CallSignal, CallState, NotifyBy, VideoCall
from taxgov.identity.videocall.queries import policy
from taxgov.identity.videocall.tags import VideoCallTag

SEEN_TIMEOUT = dt.timedelta(minutes=3)  # a waiting page that stopped asking has been closed


def _ref(call: VideoCall) -> str:
    return f"videocall:{call.pk}"


def _person(call: VideoCall) -> str:
    return f"user:{call.verification.user_id}"


def _event(tag: VideoCallTag, call: VideoCall, actor: str, request: HttpRequest | None, **extra: Any) -> None:
    record_event(
        tag,
        actor=actor,
        subject=_ref(call),
        request=request,
        extra={"verification": call.verification_id, **extra},
    )


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", None) or translation.get_language() or "en"


# --- The person ----------------------------------------------------------------------------


def do_join_line(case: Verification, *, request: HttpRequest) -> VideoCall:
    """Join the live line (a case has one open call at most: joining twice is the same call)."""
    try:
        with transaction.atomic():
            call = VideoCall.objects.create(verification=case, last_seen_at=timezone.now(), language=_language(request))
            _event(VideoCallTag.JOINED_LINE, call, _person(call), request)
    except IntegrityError:
        return VideoCall.objects.get(verification=case, state__in=[CallState.WAITING, CallState.CALLED])
    return call


@transaction.atomic
def do_leave(call: VideoCall, *, request: HttpRequest) -> None:
    """Leave the line or give up an appointment; the documents stay for another time."""
    was_appointment = call.is_appointment
    call.state, call.ended_at = (CallState.CANCELLED if was_appointment else CallState.ABANDONED), timezone.now()
    call.save(update_fields=["state", "ended_at"])
    _event(VideoCallTag.CANCELLED if was_appointment else VideoCallTag.LEFT_LINE, call, _person(call), request)


@transaction.atomic
def do_notify_when_ready(call: VideoCall, notify_by: str, phone: str, *, request: HttpRequest) -> None:
    """The person leaves the page and keeps their place; we message them when an agent is ready."""
    call.notify_by, call.notify_phone, call.language = notify_by, phone, _language(request)
    call.save(update_fields=["notify_by", "notify_phone", "language"])
    _event(VideoCallTag.WILL_BE_NOTIFIED, call, _person(call), request, by=notify_by)


def do_note_seen(call: VideoCall) -> None:
    """The waiting page is still open (it asks every few seconds): no audit event."""
    VideoCall.objects.filter(pk=call.pk).update(last_seen_at=timezone.now())


def do_book(case: Verification, when: dt.datetime, *, request: HttpRequest) -> VideoCall | None:
    """Book ``when`` (already checked bookable) on the first free seat; a booked appointment
    is given up for it (changing forfeits the old slot). None if the slot filled meanwhile."""
    with transaction.atomic():
        previous = (
            VideoCall.objects.select_for_update()
            .filter(verification=case, state=CallState.WAITING, scheduled_for__isnull=False)
            .first()
        )
        if previous is not None:
            previous.state, previous.ended_at = CallState.CANCELLED, timezone.now()
            previous.save(update_fields=["state", "ended_at"])
        call = None
        for seat in range(policy("seats_per_slot")):
            try:
                with transaction.atomic():
                    call = VideoCall.objects.create(
                        verification=case, scheduled_for=when, seat=seat, language=_language(request)
                    )
                break
            except IntegrityError:
                continue
        if call is None:
            transaction.set_rollback(True)
            return None
        tag = VideoCallTag.RESCHEDULED if previous is not None else VideoCallTag.BOOKED
        _event(tag, call, _person(call), request, slot=when.isoformat())
        context = {
            "when": when,
            "join_url": request.build_absolute_uri(reverse("videocall:lobby")),
            "changed": previous is not None,
        }
        send_email("videocall_booked", case.user.email, context, language=call.language)
    return call


@transaction.atomic
def do_check_in(call: VideoCall, *, request: HttpRequest) -> None:
    call.checked_in_at = call.last_seen_at = timezone.now()
    call.save(update_fields=["checked_in_at", "last_seen_at"])
    _event(VideoCallTag.CHECKED_IN, call, _person(call), request)


@transaction.atomic
def do_enter_room(call: VideoCall, *, request: HttpRequest) -> None:
    """The person joined the room the agent is waiting in."""
    if call.state != CallState.CALLED:
        return
    call.state, call.answered_at = CallState.IN_CALL, timezone.now()
    call.save(update_fields=["state", "answered_at"])
    _event(VideoCallTag.ANSWERED, call, _person(call), request)


def do_signal(call: VideoCall, sender: str, kind: str, body: str) -> None:
    """Pass a WebRTC message to the other side (it is not an audit event: the call is)."""
    CallSignal.objects.create(call=call, sender=sender, kind=kind, body=body)


# --- The agent -----------------------------------------------------------------------------


def _agent(agent_id: int) -> str:
    return f"agent:{agent_id}"


@transaction.atomic
def do_start_shift(agent_id: int, *, request: HttpRequest) -> None:
    try:
        with transaction.atomic():
            shift = AgentShift.objects.create(agent_id=agent_id)
    except IntegrityError:
        return  # already on duty
    record_event(VideoCallTag.SHIFT_STARTED, actor=_agent(agent_id), subject=f"shift:{shift.pk}", request=request)


@transaction.atomic
def do_end_shift(agent_id: int, *, request: HttpRequest) -> None:
    shift = AgentShift.objects.filter(agent_id=agent_id, ended_at__isnull=True).first()
    if shift is None:
        return
    shift.ended_at = timezone.now()
    shift.save(update_fields=["ended_at"])
    record_event(VideoCallTag.SHIFT_ENDED, actor=_agent(agent_id), subject=f"shift:{shift.pk}", request=request)


def _call(call: VideoCall, agent_id: int, request: HttpRequest) -> VideoCall:
    call.state, call.agent_id, call.called_at = CallState.CALLED, agent_id, timezone.now()
    call.save(update_fields=["state", "agent", "called_at"])
    _event(VideoCallTag.CALLED, call, _agent(agent_id), request)
    url = request.build_absolute_uri(reverse("videocall:lobby"))
    minutes = policy("join_minutes")
    if call.notify_by == NotifyBy.EMAIL:
        context = {"join_url": url, "minutes": minutes}
        send_email("videocall_ready", call.verification.user.email, context, language=call.language)
    elif call.notify_by == NotifyBy.SMS:
        with translation.override(call.language):
            text = _("VerifyID: an agent is ready for your video call. Join within %(minutes)d minutes: %(url)s") % {
                "minutes": minutes,
                "url": url,
            }
        send_sms(call.notify_phone, text)
    return call


@transaction.atomic
def do_call_next(agent_id: int, *, request: HttpRequest) -> VideoCall | None:
    """Take the person who has waited longest in the live line (two agents never take the
    same person: the row is locked, and a locked row is skipped)."""
    call = (
        VideoCall.objects.select_for_update(skip_locked=True)
        .filter(state=CallState.WAITING, scheduled_for__isnull=True)
        .order_by("joined_at", "pk")
        .first()
    )
    return _call(call, agent_id, request) if call is not None else None


@transaction.atomic
def do_call_appointment(call: VideoCall, agent_id: int, *, request: HttpRequest) -> bool:
    locked = VideoCall.objects.select_for_update().get(pk=call.pk)
    if locked.state != CallState.WAITING or not locked.is_appointment:
        return False
    _call(locked, agent_id, request)
    return True


@transaction.atomic
def do_mark_no_show(call: VideoCall, agent_id: int, *, request: HttpRequest) -> None:
    call.state, call.ended_at = CallState.ABANDONED, timezone.now()
    call.save(update_fields=["state", "ended_at"])
    call.signals.all().delete()
    _event(VideoCallTag.NO_SHOW, call, _agent(agent_id), request)


def do_decide(call: VideoCall, agent_id: int, result: str, reason: str, *, request: HttpRequest) -> bool:
    """End the call with the agent's decision and its reason, and decide the case with it:
    verified, not verified, or back to the photos step for more documents. False if the
    case cannot be verified after all (its TIN verified another account meanwhile)."""
    case = call.verification
    actor = _agent(agent_id)
    with transaction.atomic():
        if result == CallResult.APPROVED:
            if not verification_actions.do_complete(case, request=request, decided_by=actor, language=call.language):
                return False
        elif result == CallResult.DENIED:
            verification_actions.do_refuse(case, "IDV-VID-001", decided_by=actor, reason=reason, language=call.language)
        else:
            verification_actions.do_ask_for_documents(case, decided_by=actor, reason=reason, language=call.language)
        call.state, call.result, call.reason, call.ended_at = CallState.ENDED, result, reason, timezone.now()
        call.save(update_fields=["state", "result", "reason", "ended_at"])
        call.signals.all().delete()
        _event(VideoCallTag.DECIDED, call, actor, request, result=result)
    return True


def do_expire_calls(now: dt.datetime | None = None) -> int:
    """Every minute: a person called who did not join in time, a waiting page closed without
    asking to be told, an appointment never checked in to: each leaves the line."""
    now = now or timezone.now()
    join_by = now - dt.timedelta(minutes=policy("join_minutes"))
    slot_over = now - dt.timedelta(minutes=policy("slot_minutes"))
    stale = VideoCall.objects.filter(
        Q(state=CallState.CALLED, called_at__lt=join_by)
        | Q(state=CallState.WAITING, scheduled_for__isnull=True, notify_by="", last_seen_at__lt=now - SEEN_TIMEOUT)
        | Q(state=CallState.WAITING, scheduled_for__lt=slot_over, checked_in_at__isnull=True)
    )
    expired = 0
    for call in stale:
        with transaction.atomic():
            tag = VideoCallTag.NO_SHOW if call.state == CallState.CALLED else VideoCallTag.LEFT_LINE
            call.state, call.ended_at = CallState.ABANDONED, now
            call.save(update_fields=["state", "ended_at"])
            call.signals.all().delete()
            _event(tag, call, "system:videocall", None)
        expired += 1
    return expired
