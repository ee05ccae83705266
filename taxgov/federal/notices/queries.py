"""Which notices have a digital copy, the taxpayer's list with read state, preferences,
which new notices the daily announcement takes, and whether a notice still goes on paper."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery

from taxgov.federal.notices.models import NoticeDelivery, NoticePreferences, NoticeReading
from taxgov.ledger.agencies import current_rules
from taxgov.ledger.models import Notice, Taxpayer
from taxgov.ledger.rules import RuleNotInForceError


def _codes(rule: str, day: dt.date) -> frozenset[str]:
    """A dated list of notice codes (``federal.toml``), empty before its first entry."""
    try:
        return frozenset(str(current_rules().value(rule, day)).split())
    except RuleNotInForceError:
        return frozenset()


def online_kinds(day: dt.date) -> frozenset[str]:
    """The kinds of notice issued on ``day`` that have a digital copy in the online account."""
    return _codes("notices.online", day)


def is_online(notice: Notice) -> bool:
    return notice.kind in online_kinds(notice.issued_on)


def always_mailed(notice: Notice) -> bool:
    """A notice the law says must be delivered on paper, whatever the preference."""
    return notice.kind in _codes("notices.always_mailed", notice.issued_on)


def respond_by(notice: Notice) -> dt.date | None:
    """The date the notice gives to pay or respond by, for the kinds that give one."""
    rule = f"notices.respond_within_days.{notice.kind}"
    rules = current_rules()
    if not rules.has(rule):
        return None
    return notice.issued_on + dt.timedelta(days=int(rules.number(rule, notice.issued_on)))


@dataclass(frozen=True)
class NoticeRow:
    notice: Notice
    read: bool


def notices_of(taxpayer: Taxpayer) -> list[NoticeRow]:
    """The taxpayer's notices that have a digital copy, newest first, each read or unread."""
    read_at = NoticeReading.objects.filter(taxpayer=taxpayer, notice=OuterRef("pk")).values("read_at")[:1]
    found = (
        Notice.objects.filter(taxpayer=taxpayer)
        .select_related("period")
        .annotate(read_at=Subquery(read_at))
        .order_by("-issued_on", "-pk")
    )
    return [NoticeRow(notice, notice.read_at is not None) for notice in found if is_online(notice)]


def preferences_of(taxpayer: Taxpayer) -> NoticePreferences | None:
    return NoticePreferences.objects.filter(taxpayer=taxpayer).first()


def goes_paperless(notice: Notice, preferences: NoticePreferences | None) -> bool:
    """Whether these preferences stop the paper copy of this notice."""
    return (
        preferences is not None
        and preferences.paperless_for(notice.issued_on)
        and is_online(notice)
        and not always_mailed(notice)
    )


def needs_paper(notice: Notice) -> bool:
    """Whether the print run mails this notice: as the announcement recorded it, or, before
    then, as the taxpayer's preferences decide now."""
    delivery = NoticeDelivery.objects.filter(notice=notice).first()
    if delivery is not None:
        return not delivery.paperless
    return not goes_paperless(notice, preferences_of(notice.taxpayer))


def unannounced(today: dt.date) -> list[int]:
    """Notices issued by ``today`` and not yet announced, of taxpayers whose paperless or email
    choice was on when the notice was issued: the only notices an announcement changes."""
    chose = NoticePreferences.objects.filter(taxpayer=OuterRef("taxpayer")).filter(
        Q(paperless_since__lte=OuterRef("issued_on")) | Q(email_since__lte=OuterRef("issued_on"))
    )
    announced = NoticeDelivery.objects.filter(notice=OuterRef("pk"))
    found = (
        Notice.objects.filter(Exists(chose), issued_on__lte=today)
        .exclude(Exists(announced))
        .order_by("issued_on", "pk")
    )
    return [notice.pk for notice in found.only("pk", "kind", "issued_on") if is_online(notice)]
