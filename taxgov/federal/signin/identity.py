"""What the identity provider told us about the person signed in, kept for this session.

The relying party stores it at sign-in from the verified ID token and the userinfo answer.
Personal claims (SSN, name, date of birth, address) are encrypted in the session store like
any other personal data at rest, and leave it when the session ends.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from taxgov.common.security import pii

SESSION_KEY = "federal.identity"
CONTEXT = "federal.session.identity"


@dataclass(frozen=True)
class SignedInIdentity:
    """The provider's subject and assurance, and the verified claims it released."""

    subject: str
    acr: str
    verified: bool  # the provider vouched for the identity (IAL2), not only the sign-in
    auth_time: int
    given_name: str = ""
    family_name: str = ""
    birthdate: dt.date | None = None
    ssn: str = ""  # nine digits
    address: dict[str, str] = field(default_factory=dict)  # OIDC address claim
    email: str = ""

    def as_json(self) -> str:
        data: dict[str, Any] = asdict(self)
        data["birthdate"] = self.birthdate.isoformat() if self.birthdate else None
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> SignedInIdentity:
        data = json.loads(text)
        birthdate = data.pop("birthdate")
        return cls(**data, birthdate=dt.date.fromisoformat(birthdate) if birthdate else None)


def remember(session: SessionBase, identity: SignedInIdentity) -> None:
    """Keep the provider's identity in the session, encrypted."""
    session[SESSION_KEY] = pii.encrypt(identity.as_json(), context=CONTEXT)


def current(request: HttpRequest) -> SignedInIdentity | None:
    """The identity of this session's sign-in, or None when nobody signed in through the provider."""
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return None
    return SignedInIdentity.from_json(pii.decrypt(stored, context=CONTEXT))
