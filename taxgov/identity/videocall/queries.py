"""Reading the live line, the appointment book and the figures supervisors watch."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from taxgov.identity.videocall.models import OPEN_STATES, AgentShift, CallResult, CallState, VideoCall

RECENT_CALLS = 50  # how many finished calls the handling time is averaged over


def policy(name: str) -> int:
    return int(settings.TAXGOV_IDV_VIDEO[name])


def latest_call(verification_id: int) -> VideoCall | None:
    return VideoCall.objects.filter(verification_id=verification_id).order_by("-joined_at").first()


def live_line() -> QuerySet[VideoCall]:
    """The people waiting for the next agent, first come first served."""
    return VideoCall.objects.filter(state=CallState.WAITING, scheduled_for__isnull=True).order_by("joined_at", "pk")


def appointments(now: dt.datetime, *, hours: int = 24) -> QuerySet[VideoCall]:
    """Appointments still to be answered, from those that started a while ago to ``hours`` ahead."""
    late = now - dt.timedelta(minutes=policy("slot_minutes"))
    return VideoCall.objects.filter(
        state=CallState.WAITING, scheduled_for__gte=late, scheduled_for__lte=now + dt.timedelta(hours=hours)
    ).order_by("scheduled_for", "seat")


def check_in_opens(call: VideoCall) -> dt.datetime | None:
    """From when the person may check in to their appointment."""
    if call.scheduled_for is None:
        return None
    return call.scheduled_for - dt.timedelta(minutes=policy("check_in_early_minutes"))


def agents_on_duty() -> int:
    return AgentShift.objects.filter(ended_at__isnull=True).count()


def shift_of(agent_id: int) -> AgentShift | None:
    return AgentShift.objects.filter(agent_id=agent_id, ended_at__isnull=True).first()


def handling_time() -> dt.timedelta:
    """The mean length of the most recent answered calls, or the configured guess before any."""
    recent = (
        VideoCall.objects.filter(state=CallState.ENDED, answered_at__isnull=False)
        .order_by("-ended_at")
        .values_list("answered_at", "ended_at")[:RECENT_CALLS]
    )
    lengths = [(ended - answered).total_seconds() for answered, ended in recent if answered and ended]
    if not lengths:
        return dt.timedelta(minutes=policy("default_handling_minutes"))
    return dt.timedelta(seconds=statistics.fmean(lengths))


@dataclass(frozen=True)
class Wait:
    position: int  # 1 is next
    agents: int
    minutes: int | None  # None while no agent is on duty


def _wait(ahead: int) -> Wait:
    """Each agent on duty works through the line in turn: the people ahead, and the calls
    already under way (half a call left each, on average), shared among the agents, at the
    recent mean handling time."""
    agents = agents_on_duty()
    if not agents:
        return Wait(position=ahead + 1, agents=0, minutes=None)
    busy = VideoCall.objects.filter(state__in=(CallState.CALLED, CallState.IN_CALL)).count()
    work = (ahead + busy / 2) * handling_time().total_seconds()
    return Wait(position=ahead + 1, agents=agents, minutes=math.ceil(work / agents / 60))


def estimated_wait(call: VideoCall) -> Wait:
    ahead = live_line().filter(Q(joined_at__lt=call.joined_at) | Q(joined_at=call.joined_at, pk__lt=call.pk))
    return _wait(ahead.count())


def wait_for_newcomer() -> Wait:
    """What someone joining the line now would wait: behind everyone in it."""
    return _wait(live_line().count())


def _slot_times(now: dt.datetime) -> list[dt.datetime]:
    """Every appointment time (local) in opening hours, from the earliest lead time to the
    last day ahead allowed."""
    zone = timezone.get_current_timezone()
    step = dt.timedelta(minutes=policy("slot_minutes"))
    earliest = now + dt.timedelta(hours=policy("earliest_hours"))
    latest = now + dt.timedelta(days=policy("days_ahead"))
    day, last_day = timezone.localtime(earliest).date(), timezone.localtime(latest).date()
    times = []
    while day <= last_day:
        when = dt.datetime.combine(day, dt.time(policy("opening_hour")), tzinfo=zone)
        close = dt.datetime.combine(day, dt.time(policy("closing_hour")), tzinfo=zone)
        while when < close:
            if earliest <= when <= latest:
                times.append(when)
            when += step
        day += dt.timedelta(days=1)
    return times


def slots(now: dt.datetime, day: dt.date | None = None) -> list[tuple[dt.datetime, int]]:
    """The appointment times with seats still free (of ``day`` only, if given), with how
    many: one query for the whole book."""
    times = [when for when in _slot_times(now) if day is None or when.date() == day]
    if not times:
        return []
    taken = dict(
        VideoCall.objects.filter(state__in=OPEN_STATES, scheduled_for__gte=times[0], scheduled_for__lte=times[-1])
        .values_list("scheduled_for")
        .annotate(n=Count("pk"))
    )
    seats = policy("seats_per_slot")
    return [(when, seats - taken.get(when, 0)) for when in times if seats > taken.get(when, 0)]


def bookable_days(now: dt.datetime) -> list[dt.date]:
    return sorted({when.date() for when, _left in slots(now)})


def is_bookable(now: dt.datetime, when: dt.datetime) -> bool:
    return any(slot == when for slot, _left in slots(now, timezone.localtime(when).date()))


@dataclass(frozen=True)
class Figures:
    since: dt.datetime
    answered: int
    abandoned: int
    no_shows: int
    outcomes: dict[str, int]
    wait_median: float | None  # minutes, from arriving to the agent being ready
    wait_p90: float | None
    handling_median: float | None  # minutes, from the person joining the room to the decision
    handling_mean: float | None
    waiting_now: int
    agents_now: int

    @property
    def abandonment_rate(self) -> float | None:
        total = self.answered + self.abandoned
        return self.abandoned / total if total else None


def _minutes(seconds: list[float]) -> tuple[float | None, float | None]:
    if not seconds:
        return None, None
    ordered = sorted(seconds)
    p90 = ordered[min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)]
    return round(statistics.median(ordered) / 60, 1), round(p90 / 60, 1)


def figures(since: dt.datetime) -> Figures:
    """Wait, abandonment and handling time over the calls that arrived since ``since``."""
    calls = VideoCall.objects.filter(joined_at__gte=since)
    answered = list(
        calls.filter(called_at__isnull=False, answered_at__isnull=False).values_list(
            "joined_at", "checked_in_at", "called_at", "answered_at", "ended_at"
        )
    )
    waits = [
        (called - (checked_in or joined)).total_seconds() for joined, checked_in, called, _a, _e in answered if called
    ]
    handled = [(ended - ans).total_seconds() for _j, _c, _called, ans, ended in answered if ans and ended]
    wait_median, wait_p90 = _minutes(waits)
    handling_median, _p90 = _minutes(handled)
    outcomes = dict(calls.filter(state=CallState.ENDED).values_list("result").annotate(n=Count("pk")))
    return Figures(
        since=since,
        answered=len(answered),
        abandoned=calls.filter(state=CallState.ABANDONED, called_at__isnull=True).count(),
        no_shows=calls.filter(state=CallState.ABANDONED, called_at__isnull=False).count(),
        outcomes={str(result.label): outcomes.get(result.value, 0) for result in CallResult},
        wait_median=wait_median,
        wait_p90=wait_p90,
        handling_median=handling_median,
        handling_mean=round(statistics.fmean(handled) / 60, 1) if handled else None,
        waiting_now=live_line().count(),
        agents_now=agents_on_duty(),
    )


def signals_for(call: VideoCall, side: str, after: int) -> list[dict[str, object]]:
    """The other side's signalling messages newer than ``after``."""
    rows = call.signals.exclude(sender=side).filter(pk__gt=after).order_by("pk").values("pk", "kind", "body")
    return [{"id": row["pk"], "kind": row["kind"], "body": row["body"]} for row in rows[:100]]
