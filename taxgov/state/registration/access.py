"""The only ways views get registration requests. A person reaches their own draft through
their session; staff reach submitted requests by public id. Anything else is a 404."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest

from taxgov.state.registration.models import RegistrationKind, RegistrationRequest, RequestStatus

DRAFT_KEY = "state.registration.draft"
SUBMITTED_KEY = "state.registration.submitted"


def _parse(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def draft_in_session(request: HttpRequest, kind: RegistrationKind) -> RegistrationRequest | None:
    """The draft this browser started on the ``kind`` path, if it is still a draft."""
    public_id = _parse(request.session.get(DRAFT_KEY))
    if public_id is None:
        return None
    return RegistrationRequest.objects.filter(public_id=public_id, kind=kind, status=RequestStatus.STARTED).first()


def remember_draft(request: HttpRequest, draft: RegistrationRequest) -> None:
    request.session[DRAFT_KEY] = str(draft.public_id)


def remember_submitted(request: HttpRequest, draft: RegistrationRequest) -> None:
    request.session.pop(DRAFT_KEY, None)
    request.session[SUBMITTED_KEY] = str(draft.public_id)


def has_submitted(request: HttpRequest) -> bool:
    return SUBMITTED_KEY in request.session


def submitted_in_session(request: HttpRequest) -> RegistrationRequest:
    """The request this browser submitted last, for its confirmation page."""
    public_id = _parse(request.session.get(SUBMITTED_KEY))
    found = (
        RegistrationRequest.objects.filter(public_id=public_id).exclude(status=RequestStatus.STARTED).first()
        if public_id
        else None
    )
    if found is None:
        raise Http404
    return found


def request_for_review(public_id: uuid.UUID) -> RegistrationRequest:
    """A submitted request waiting for staff (the view's rule already requires staff)."""
    found = (
        RegistrationRequest.objects.select_related("verified_taxpayer")
        .filter(public_id=public_id, status=RequestStatus.SUBMITTED)
        .first()
    )
    if found is None:
        raise Http404
    return found
