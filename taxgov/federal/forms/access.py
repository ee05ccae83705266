"""How form views get a form, a draft or a submission: only what the signed-in taxpayer may
file, and only their own; 404 otherwise."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest
from django.utils import timezone

from taxgov.federal.forms import catalog, queries
from taxgov.federal.forms.declarations import OnlineForm
from taxgov.federal.forms.models import Submission
from taxgov.federal.profile.access import taxpayer_of


def form_to_file(request: HttpRequest, code: str) -> OnlineForm:
    """A form the taxpayer may file online today: unknown, not offered and not theirs to
    file look alike."""
    form = catalog.find(code)
    if form is None or not queries.may_file(form, taxpayer_of(request), timezone.localdate()):
        raise Http404
    return form


def own_submission(request: HttpRequest, public_id: uuid.UUID) -> Submission:
    submission = Submission.objects.filter(public_id=public_id, taxpayer=taxpayer_of(request)).first()
    if submission is None:
        raise Http404
    return submission
