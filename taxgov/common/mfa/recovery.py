"""Recovery codes: ten codes of three groups of four Crockford base-32 characters (60 bits
each, NIST SP 800-63B §5.1.2 look-up secrets), shown once, single use, stored hashed."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from taxgov.common.audit.actions import record_event
from taxgov.common.mfa.models import RecoveryCode
from taxgov.common.mfa.tags import MfaTag

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODES_PER_SET = 10
GROUPS, GROUP_LENGTH = 3, 4
READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def normalize(code: str) -> str:
    """As typed (any case, spaces or dashes, O for 0) to the stored form."""
    return "".join(code.split()).replace("-", "").upper().translate(READ_AS)


def _lookup(user_id: int, code: str) -> str:
    key = f"{settings.SECRET_KEY}|recovery-code|{user_id}".encode()
    return hmac.new(key, code[:GROUP_LENGTH].encode(), hashlib.sha256).hexdigest()[:16]


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))


def shown(code: str) -> str:
    return "-".join(code[i : i + GROUP_LENGTH] for i in range(0, len(code), GROUP_LENGTH))


@transaction.atomic
def do_generate_recovery_codes(user_id: int, *, request: HttpRequest | None = None) -> list[str]:
    """A new set; the old one stops working. Returns the codes to show once."""
    RecoveryCode.objects.filter(user_id=user_id).delete()
    codes = [_new_code() for _ in range(CODES_PER_SET)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user_id=user_id, lookup=_lookup(user_id, code), code_hash=make_password(code)) for code in codes
    )
    record_event(MfaTag.RECOVERY_CODES_CREATED, subject=f"user:{user_id}", request=request)
    return [shown(code) for code in codes]


@transaction.atomic
def do_use_recovery_code(user_id: int, typed: str, *, request: HttpRequest | None = None) -> bool:
    """True once for each code: a used code never works again."""
    code = normalize(typed)
    if len(code) != GROUPS * GROUP_LENGTH:
        return False
    candidates = RecoveryCode.objects.select_for_update().filter(
        user_id=user_id, lookup=_lookup(user_id, code), used_at__isnull=True
    )
    for candidate in candidates:
        if check_password(code, candidate.code_hash):
            candidate.used_at = timezone.now()
            candidate.save(update_fields=["used_at"])
            record_event(MfaTag.RECOVERY_CODE_USED, subject=f"user:{user_id}", request=request)
            return True
    return False


def codes_left(user_id: int) -> int:
    return RecoveryCode.objects.filter(user_id=user_id, used_at__isnull=True).count()
