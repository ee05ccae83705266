"""Video-call pages. The person's side: the lobby (wait in line, be told, book a time), the
booking page and the room. The agents' console: who is waiting, appointments, a case with
its documents, the room and the decision; and the supervisors' figures.

The browsers pass WebRTC messages to each other through ``signal`` endpoints (polled), so
the call needs nothing but this server (docs/adr/0017-video-calls.md)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taxgov.common.access.rules import SIGNED_IN, access_rule, signed_in_user_id
from taxgov.common.audit.actions import record_event
from taxgov.common.ratelimit import rate_limiter
from taxgov.common.security.middleware import allow_media
from taxgov.identity.verification import actions as verification_actions
from taxgov.identity.verification import queries as verification_queries
from taxgov.identity.verification.access import case_in_progress
from taxgov.identity.verification.models import EvidenceKind, Outcome
from taxgov.identity.videocall import access, actions, queries
from taxgov.identity.videocall.access import AGENT, SUPERVISOR
from taxgov.identity.videocall.forms import (
    TAKEN,
    DayForm,
    DecisionForm,
    FraudHoldForm,
    NotifyForm,
    SignalForm,
    SlotForm,
)
from taxgov.identity.videocall.models import CallResult, CallState, Side, VideoCall
from taxgov.identity.videocall.tags import VideoCallTag

# --- The person ----------------------------------------------------------------------------


def _wait_text(call: VideoCall) -> str:
    wait = queries.estimated_wait(call)
    if wait.minutes is None:
        return _(
            "You are number %(position)d in line. No agents are on duty right now: stay, or leave and we will "
            "tell you when one is ready."
        ) % {"position": wait.position}
    if wait.minutes == 0:
        return _("You are number %(position)d in line. An agent should be with you in a moment.") % {
            "position": wait.position
        }
    return ngettext(
        "You are number %(position)d in line. Estimated wait: about %(minutes)d minute.",
        "You are number %(position)d in line. Estimated wait: about %(minutes)d minutes.",
        wait.minutes,
    ) % {"position": wait.position, "minutes": wait.minutes}


def _finished(request: HttpRequest) -> HttpResponse | None:
    """Where the lobby sends someone whose case is not waiting for a call."""
    user_id = signed_in_user_id(request)
    if verification_queries.verified_identity(user_id) is not None:
        return redirect("verification:done")
    case = case_in_progress(request)
    if case is None:
        latest = verification_queries.latest_verification(user_id)
        if latest is not None and latest.outcome == Outcome.FAILED and latest.error_code:
            return redirect("verification:problem", code=latest.error_code)
        return redirect("verification:start")
    if not case.by_video:
        return redirect("verification:start")
    if case.documents_submitted_at is None:
        last = queries.latest_call(case.pk)
        if last is not None and last.result == CallResult.MORE_DOCUMENTS:
            return render(request, "videocall/more_documents.html", {"call": last})
        return redirect("verification:video_resume")
    return None


@access_rule(SIGNED_IN)
@never_cache
def lobby(request: HttpRequest) -> HttpResponse:
    elsewhere = _finished(request)
    if elsewhere is not None:
        return elsewhere
    call = access.own_open_call(request)
    if call is not None and call.state in (CallState.CALLED, CallState.IN_CALL):
        return render(request, "videocall/ready.html", {"call": call})
    context: dict[str, Any] = {"call": call, "notify_form": NotifyForm()}
    if call is None:
        context["wait"] = queries.wait_for_newcomer()
    elif not call.is_appointment:
        actions.do_note_seen(call)
        context["wait_text"] = _wait_text(call)
    else:
        opens = queries.check_in_opens(call)
        context["can_check_in"] = call.checked_in_at is None and opens is not None and timezone.now() >= opens
        context["check_in_opens"] = opens
    return render(request, "videocall/lobby.html", context)


@access_rule(SIGNED_IN)
@require_POST
def join_line(request: HttpRequest) -> HttpResponse:
    case = access.case_for_call(request)
    if case is None:
        return redirect("videocall:lobby")
    if access.own_open_call(request) is None:
        actions.do_join_line(case, request=request)
    return redirect("videocall:lobby")


@access_rule(SIGNED_IN)
@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    call = access.own_open_call(request)
    if call is not None and call.state == CallState.WAITING:
        appointment = call.is_appointment
        actions.do_leave(call, request=request)
        messages.info(request, _("We cancelled your appointment.") if appointment else _("You left the line."))
    return redirect("videocall:lobby")


@access_rule(SIGNED_IN)
@require_POST
def notify(request: HttpRequest) -> HttpResponse:
    call = access.own_open_call(request)
    if call is None or call.state != CallState.WAITING or call.is_appointment:
        return redirect("videocall:lobby")
    form = NotifyForm(request.POST)
    if not form.is_valid():
        context = {"call": call, "notify_form": form, "wait_text": _wait_text(call)}
        return render(request, "videocall/lobby.html", context, status=400)
    actions.do_notify_when_ready(call, form.cleaned_data["notify_by"], form.cleaned_data["phone"], request=request)
    messages.success(
        request, _("You keep your place in line. We will tell you when an agent is ready; you can close this page.")
    )
    return redirect("videocall:lobby")


@access_rule(SIGNED_IN)
@require_GET
@never_cache
def status(request: HttpRequest) -> JsonResponse:
    """What the waiting page shows, asked every few seconds."""
    call = access.own_open_call(request)
    if call is None:
        return JsonResponse({"state": "none", "next": reverse("videocall:lobby")})
    if call.state == CallState.WAITING and not call.is_appointment:
        actions.do_note_seen(call)
        return JsonResponse({"state": call.state, "message": _wait_text(call)})
    if call.state == CallState.WAITING:
        actions.do_note_seen(call)
        return JsonResponse(
            {"state": call.state, "message": _("Your appointment is booked. An agent will call you in.")}
        )
    return JsonResponse(
        {"state": call.state, "message": _("An agent is ready for you."), "next": reverse("videocall:lobby")}
    )


@access_rule(SIGNED_IN)
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    case = access.case_for_call(request)
    if case is None:
        return redirect("videocall:lobby")
    current = access.own_open_call(request)
    if current is not None and not current.is_appointment:
        return redirect("videocall:lobby")  # in the live line: leave it first
    now = timezone.now()
    days = queries.bookable_days(now)
    day_form = DayForm(request.GET or None)
    day = day_form.cleaned_data["day"] if day_form.is_valid() and day_form.cleaned_data["day"] in days else None
    day = day or (days[0] if days else None)
    form = SlotForm(request.POST or None, now=now, day=day) if day else None
    if request.method == "POST" and form is not None and form.is_valid():
        call = actions.do_book(case, form.cleaned_data["slot"], request=request)
        if call is not None:
            messages.success(request, _("Your appointment is booked. We sent the details to your email."))
            return redirect("videocall:lobby")
        form.add_error("slot", TAKEN)
    context = {"days": days, "day": day, "form": form, "current": current}
    return render(request, "videocall/book.html", context, status=400 if form is not None and form.errors else 200)


@access_rule(SIGNED_IN)
@require_POST
def check_in(request: HttpRequest) -> HttpResponse:
    call = access.own_open_call(request)
    if call is not None and call.checked_in_at is None:
        opens = queries.check_in_opens(call)
        if opens is not None and timezone.now() >= opens:
            actions.do_check_in(call, request=request)
    return redirect("videocall:lobby")


@access_rule(SIGNED_IN)
@never_cache
def room(request: HttpRequest) -> HttpResponseBase:
    call = access.own_open_call(request)
    if call is None or call.state not in (CallState.CALLED, CallState.IN_CALL):
        return redirect("videocall:lobby")
    actions.do_enter_room(call, request=request)
    context = {"call": call, "side": Side.PERSON, "signal_url": reverse("videocall:signal")}
    return allow_media(render(request, "videocall/room.html", context), "camera", "microphone")


def _signal(request: HttpRequest, call: VideoCall, side: str) -> JsonResponse:
    if request.method == "POST":
        if not rate_limiter("identity.videocall.signal").hit(str(call.pk), side):
            return JsonResponse({"error": "too many"}, status=429)
        form = SignalForm(request.POST)
        if not form.is_valid():
            return JsonResponse({"error": "invalid"}, status=400)
        actions.do_signal(call, side, form.cleaned_data["kind"], form.cleaned_data["body"])
        return JsonResponse({"ok": True})
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    return JsonResponse({"messages": queries.signals_for(call, side, after)})


@access_rule(SIGNED_IN)
@require_http_methods(["GET", "POST"])
@never_cache
def signal(request: HttpRequest) -> JsonResponse:
    call = access.own_open_call(request)
    if call is None or call.state not in (CallState.CALLED, CallState.IN_CALL):
        return JsonResponse({"messages": [], "next": reverse("videocall:lobby")})
    return _signal(request, call, Side.PERSON)


# --- The agents' console ---------------------------------------------------------------------


def _agent_id(request: HttpRequest) -> int:
    return signed_in_user_id(request)


@access_rule(AGENT)
@never_cache
def console(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    line = list(queries.live_line().select_related("verification")[:50])
    mine = VideoCall.objects.filter(agent_id=_agent_id(request), state__in=(CallState.CALLED, CallState.IN_CALL))
    context = {
        "on_duty": queries.shift_of(_agent_id(request)) is not None,
        "line": line,
        "appointments": queries.appointments(now).select_related("verification"),
        "mine": mine,
        "agents": queries.agents_on_duty(),
        "handling_minutes": round(queries.handling_time().total_seconds() / 60),
        "is_supervisor": SUPERVISOR.allows(request),
        "now": now,
    }
    return render(request, "videocall/console/index.html", context)


@access_rule(AGENT)
@require_POST
def shift(request: HttpRequest) -> HttpResponse:
    if request.POST.get("duty") == "on":
        actions.do_start_shift(_agent_id(request), request=request)
    else:
        actions.do_end_shift(_agent_id(request), request=request)
    return redirect("videocall:console")


@access_rule(AGENT)
@require_POST
def call_next(request: HttpRequest) -> HttpResponse:
    call = actions.do_call_next(_agent_id(request), request=request)
    if call is None:
        messages.info(request, _("No one is waiting in line."))
        return redirect("videocall:console")
    return redirect("videocall:case", public_id=call.public_id)


@access_rule(AGENT)
@require_POST
def call_appointment(request: HttpRequest, public_id: str) -> HttpResponse:
    call = access.call_for_agent(request, public_id)
    if not actions.do_call_appointment(call, _agent_id(request), request=request):
        messages.error(request, _("Another agent has this appointment, or it was cancelled."))
        return redirect("videocall:console")
    return redirect("videocall:case", public_id=call.public_id)


def _case_context(call: VideoCall) -> dict[str, Any]:
    case = call.verification
    street = ", ".join(part for part in (case.address_line1, case.address_line2) if part)
    kinds = list(case.evidence.order_by("created_at").values_list("kind", flat=True))
    return {
        "call": call,
        "case": case,
        "document": case.document,
        "evidence": [(kind, EvidenceKind(kind).label) for kind in kinds],
        "address": f"{street}, {case.city}, {case.state} {case.postal_code}" if street else "",
        "earlier_calls": case.video_calls.exclude(pk=call.pk).order_by("-joined_at"),
        "holds": case.fraud_holds.filter(released_at__isnull=True, expires_at__gt=timezone.now()),
        "hold_form": FraudHoldForm(),
        "retention_hours": settings.TAXGOV_IDV_BIOMETRIC_RETENTION_HOURS,
    }


@access_rule(AGENT)
@require_http_methods(["GET", "POST"])
@never_cache
def case(request: HttpRequest, public_id: str) -> HttpResponseBase:
    """The person's documents and data, the room once the agent has called them, and the decision."""
    call = access.call_for_agent(request, public_id)
    mine = call.agent_id == _agent_id(request) and call.is_open
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not mine:
            raise Http404
        if form.is_valid():
            result, reason = form.cleaned_data["result"], form.cleaned_data["reason"]
            if actions.do_decide(call, _agent_id(request), result, reason, request=request):
                messages.success(request, _("Decision saved: %(result)s.") % {"result": CallResult(result).label})
                return redirect("videocall:console")
            form.add_error(None, _("This SSN has verified another account: deny this case, and say so."))
    else:
        record_event(
            VideoCallTag.EVIDENCE_VIEWED,
            actor=f"agent:{_agent_id(request)}",
            subject=f"videocall:{call.pk}",
            request=request,
        )
    context = {**_case_context(call), "mine": mine, "form": form, "side": Side.AGENT}
    context["signal_url"] = reverse("videocall:agent_signal", kwargs={"public_id": call.public_id})
    response = render(request, "videocall/console/case.html", context, status=400 if form.errors else 200)
    return allow_media(response, "camera", "microphone") if mine else response


@access_rule(AGENT)
@require_POST
def place_hold(request: HttpRequest, public_id: str) -> HttpResponse:
    call = access.call_for_agent(request, public_id)
    form = FraudHoldForm(request.POST)
    if not form.is_valid():
        context = {**_case_context(call), "mine": False, "form": DecisionForm(), "hold_form": form}
        return render(request, "videocall/console/case.html", context, status=400)
    until = timezone.now() + dt.timedelta(days=form.cleaned_data["hold_days"])
    verification_actions.do_place_fraud_hold(
        call.verification,
        reason=form.cleaned_data["hold_reason"],
        until=until,
        placed_by=f"agent:{_agent_id(request)}",
        request=request,
    )
    messages.success(request, _("Fraud hold placed: the photos are kept until %(date)s.") % {"date": until.date()})
    return redirect("videocall:case", public_id=call.public_id)


@access_rule(AGENT)
@require_POST
def release_hold(request: HttpRequest, public_id: str, hold_id: int) -> HttpResponse:
    call = access.call_for_agent(request, public_id)
    hold = access.hold_of(call, hold_id)
    verification_actions.do_release_fraud_hold(hold, released_by=f"agent:{_agent_id(request)}", request=request)
    messages.success(request, _("Fraud hold released."))
    return redirect("videocall:case", public_id=call.public_id)


@access_rule(AGENT)
@require_GET
def evidence(request: HttpRequest, public_id: str, kind: str) -> HttpResponse:
    call = access.call_for_agent(request, public_id)
    item = call.verification.evidence.filter(kind=kind).order_by("-created_at").first()
    if item is None:
        raise Http404
    image = base64.b64decode(item.content)
    response = HttpResponse(image, content_type="image/png" if image.startswith(b"\x89PNG") else "image/jpeg")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@access_rule(AGENT)
@require_POST
def no_show(request: HttpRequest, public_id: str) -> HttpResponse:
    call = access.taken_call(request, public_id)
    actions.do_mark_no_show(call, _agent_id(request), request=request)
    messages.info(request, _("Marked as not joined."))
    return redirect("videocall:console")


@access_rule(AGENT)
@require_http_methods(["GET", "POST"])
@never_cache
def agent_signal(request: HttpRequest, public_id: str) -> JsonResponse:
    call = access.taken_call(request, public_id)
    return _signal(request, call, Side.AGENT)


@access_rule(SUPERVISOR)
@never_cache
def figures(request: HttpRequest) -> HttpResponse:
    periods = (1, 7, 30)
    days = {str(n): n for n in periods}.get(request.GET.get("days", "7"), 7)
    since = timezone.now() - dt.timedelta(days=days)
    context = {"figures": queries.figures(since), "days": days, "periods": periods}
    return render(request, "videocall/console/figures.html", context)
