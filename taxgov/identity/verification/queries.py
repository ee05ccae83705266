"""Reading verification cases: the portrait to match, duplicate TINs, the verified identity."""

from __future__ import annotations

import base64

from taxgov.common.identifiers import normalize_tin
from taxgov.identity.records.fingerprints import tin_fingerprint
from taxgov.identity.verification.models import EvidenceKind, Outcome, Verification

PORTRAIT_KINDS = (EvidenceKind.DOCUMENT_FRONT, EvidenceKind.PASSPORT_PAGE)


def portrait_photo(verification: Verification) -> bytes:
    """The document photo that carries the portrait (a card's front or a passport's page)."""
    evidence = verification.evidence.filter(kind__in=PORTRAIT_KINDS).order_by("-created_at").first()
    return base64.b64decode(evidence.content) if evidence else b""


def tin_verified_for_another_account(tin: str, user_id: int) -> bool:
    normalized = normalize_tin(tin)
    if normalized is None:
        return False
    return (
        Verification.objects.filter(tin_fingerprint=tin_fingerprint(normalized), outcome=Outcome.VERIFIED)
        .exclude(user_id=user_id)
        .exists()
    )


def verified_identity(user_id: int) -> Verification | None:
    """The case that verified this account (IAL2), if one did: what the OpenID provider
    releases as the verified claims."""
    return Verification.objects.filter(user_id=user_id, outcome=Outcome.VERIFIED).order_by("-decided_at").first()


def latest_verification(user_id: int) -> Verification | None:
    return Verification.objects.filter(user_id=user_id).order_by("-created_at").first()
