"""Who a verified identity is in the ledger, and whether someone already has a profile.

The match reads the provider's verified claims: the SSN (or ITIN) finds the taxpayer, then the
name and the date of birth must agree with the record. Names agree when they are the same
words ignoring case, accents and punctuation ("José García-López" is "jose garcia lopez").
Why a match failed is kept for the audit log only; the person sees one answer for all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from taxgov.common.identifiers import normalize_tin
from taxgov.federal.profile.models import Profile
from taxgov.federal.signin.identity import SignedInIdentity
from taxgov.ledger import queries as ledger
from taxgov.ledger.models import Taxpayer, TaxpayerKind


class NoMatch(StrEnum):
    """Why an identity matched no taxpayer: for the audit log, never shown."""

    CLAIMS_MISSING = "claims_missing"  # the provider released no SSN, name or date of birth
    NOT_ON_FILE = "not_on_file"
    DETAILS_DIFFER = "details_differ"  # name or date of birth (which one is not recorded)
    ALREADY_LINKED = "already_linked"  # another sign-in account has this taxpayer's profile


@dataclass(frozen=True)
class Match:
    taxpayer: Taxpayer | None
    reason: NoMatch | None = None


def normal_name(text: str) -> str:
    """Lower-case words without accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


def _joined(*parts: str) -> str:
    return normal_name(" ".join(part for part in parts if part))


def names_agree(taxpayer: Taxpayer, given_name: str, family_name: str) -> bool:
    """The given name is the first name (with or without the middle name); the family name is
    the last name (with or without the suffix)."""
    given = normal_name(given_name)
    family = normal_name(family_name)
    return (
        bool(given and family)
        and given in {_joined(taxpayer.first_name), _joined(taxpayer.first_name, taxpayer.middle_name)}
        and family in {_joined(taxpayer.last_name), _joined(taxpayer.last_name, taxpayer.suffix)}
    )


def match_taxpayer(identity: SignedInIdentity) -> Match:
    tin = normalize_tin(identity.ssn) if identity.ssn else None
    if tin is None or identity.birthdate is None or not identity.given_name or not identity.family_name:
        return Match(None, NoMatch.CLAIMS_MISSING)
    taxpayer = ledger.find_taxpayer_by_tin(tin)
    if taxpayer is None or taxpayer.kind != TaxpayerKind.INDIVIDUAL:
        return Match(None, NoMatch.NOT_ON_FILE)
    if (
        not names_agree(taxpayer, identity.given_name, identity.family_name)
        or taxpayer.date_of_birth != identity.birthdate.isoformat()
        or taxpayer.date_of_death is not None
    ):
        return Match(None, NoMatch.DETAILS_DIFFER)
    if Profile.objects.filter(taxpayer=taxpayer).exists():
        return Match(None, NoMatch.ALREADY_LINKED)
    return Match(taxpayer)


def has_profile(user_id: int) -> bool:
    return Profile.objects.filter(user_id=user_id).exists()


def profile_of_user(user_id: int) -> Profile | None:
    return Profile.objects.select_related("taxpayer").filter(user_id=user_id).first()
