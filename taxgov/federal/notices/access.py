"""How notice views get a notice: only one of the signed-in taxpayer's that has a digital
copy; 404 otherwise, for a missing notice and another person's alike."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from taxgov.federal.notices.queries import is_online
from taxgov.federal.profile.access import taxpayer_of
from taxgov.ledger.models import Notice


def own_notice(request: HttpRequest, notice_id: int) -> Notice:
    found = Notice.objects.filter(pk=notice_id, taxpayer=taxpayer_of(request))
    notice = found.select_related("period__account", "taxpayer").first()
    if notice is None:
        raise Http404
    if not is_online(notice):
        raise Http404
    return notice
