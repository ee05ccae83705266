"""How views get video calls, and who may answer them.

People reach only the call of their own case in progress. Agents are staff with the
``answer_video_calls`` permission whose sign-in passed a second step in this session (a
remembered browser is not enough for staff pages); an agent reaches a call in the room only
once they have taken it. Anything else is a 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from taxgov.identity.signin.access import staff_with
from taxgov.identity.verification.access import case_in_progress
from taxgov.identity.verification.models import FraudHold, Verification
from taxgov.identity.videocall.models import OPEN_STATES, VideoCall

AGENT = staff_with("identity_videocall.answer_video_calls")
SUPERVISOR = staff_with("identity_videocall.see_video_call_figures")


def case_for_call(request: HttpRequest) -> Verification | None:
    """The person's video-call case whose documents are in, ready for an agent."""
    case = case_in_progress(request)
    if case is None or not case.by_video or case.documents_submitted_at is None:
        return None
    return case


def own_open_call(request: HttpRequest) -> VideoCall | None:
    case = case_in_progress(request)
    if case is None:
        return None
    return VideoCall.objects.filter(verification=case, state__in=OPEN_STATES).first()


def call_for_agent(request: HttpRequest, public_id: str) -> VideoCall:
    call = VideoCall.objects.select_related("verification").filter(public_id=public_id).first()
    if call is None:
        raise Http404
    return call


def taken_call(request: HttpRequest, public_id: str) -> VideoCall:
    """A call this agent took and has not finished."""
    call = call_for_agent(request, public_id)
    if call.agent_id != request.user.pk or not call.is_open:
        raise Http404
    return call


def hold_of(call: VideoCall, hold_id: int) -> FraudHold:
    """A fraud hold in force on the call's case."""
    hold = call.verification.fraud_holds.filter(pk=hold_id, released_at__isnull=True).first()
    if hold is None:
        raise Http404
    return hold
