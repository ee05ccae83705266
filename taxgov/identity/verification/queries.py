"""Reading verification cases: the portrait to match, duplicate TINs, letters' codes and
limits, the verified identity."""

from __future__ import annotations

import base64
import datetime as dt

from django.conf import settings
from django.db.models import QuerySet

from taxgov.common.identifiers import normalize_tin
from taxgov.common.security.codes import code_hash
from taxgov.identity.records.fingerprints import tin_fingerprint
from taxgov.identity.verification.models import EvidenceKind, MailedCode, Outcome, Verification

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


# Where the post takes longer than in the contiguous United States (a letter's code works longer).
FAR_STATES = frozenset({"AK", "HI", "PR", "VI", "GU", "AS", "MP", "AA", "AE", "AP"})


def letter_code_hash(verification: Verification, code: str) -> str:
    return code_hash("idv-letter-code", verification.pk, code)


def letter_valid_days(state: str) -> int:
    rules = settings.TAXGOV_IDV_LETTER
    return int(rules["valid_days_far"] if state in FAR_STATES else rules["valid_days"])


def _live_letters(verification: Verification) -> QuerySet[MailedCode]:
    """The unused letters mailed to the case's current address (a letter sent before the
    details last changed went to what may be another address)."""
    return verification.mailed_codes.filter(sent_at__gte=verification.details_given_at, used_at__isnull=True)


def mailed_code(verification: Verification, code: str) -> MailedCode | None:
    return _live_letters(verification).filter(code_hash=letter_code_hash(verification, code)).first()


def next_letter_at(user_id: int, now: dt.datetime) -> dt.datetime:
    """When this account may have another letter: a day after the last, and no more than
    the limit in 30 days (Login.gov's limits; each letter costs postage and is a way to
    harass whoever lives at an address)."""
    rules = settings.TAXGOV_IDV_LETTER
    window = dt.timedelta(days=30)
    sent = list(
        MailedCode.objects.filter(verification__user_id=user_id, sent_at__gt=now - window)
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
    )
    allowed = [now]
    if sent:
        allowed.append(sent[-1] + dt.timedelta(hours=rules["hours_between_letters"]))
    if len(sent) >= rules["letters_per_30_days"]:
        allowed.append(sent[-rules["letters_per_30_days"]] + window)
    return max(allowed)


def letters_out(verification: Verification) -> list[MailedCode]:
    """The letters whose code could still confirm this case, newest first."""
    if verification.details_given_at is None:
        return []
    return list(_live_letters(verification).order_by("-sent_at"))
