"""How records views get an information return: only one filed about the signed-in taxpayer;
404 otherwise, so another person's document and a missing one look the same."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from taxgov.federal.profile.access import taxpayer_of
from taxgov.ledger.models import InformationReturn


def own_document(request: HttpRequest, document_id: int) -> InformationReturn:
    document = InformationReturn.objects.filter(pk=document_id, taxpayer=taxpayer_of(request)).first()
    if document is None:
        raise Http404
    return document
