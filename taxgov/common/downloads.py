"""A PDF of someone's tax data as a download: saved, not shown inline, and never cached."""

from __future__ import annotations

from django.http import HttpResponse


def pdf_download(document: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
