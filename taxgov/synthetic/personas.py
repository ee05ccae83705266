"""The named demo people: who they are, and which seed guide each one walks.

They occupy the first person indexes (0-9), business 0 and estate 0 of every population, so
the guides can name them whatever the seed. Only what a guide depends on is pinned here
(names, residence, tax profile, ITIN, roles); the population generates everything else
(identifiers, dates, phones, licences) from the seed as for anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from taxgov.synthetic.people import Persona


@dataclass(frozen=True)
class PinnedPerson:
    first_name: str
    last_name: str
    sex: str  # "F", "M" or "X": picks the middle-name pool and the licence's sex
    tax_profile: str
    tin_type: str = "ssn"
    died_in: int | None = None  # the year of death of a pinned decedent
    # A persona must pass identity verification: a current Massachusetts address, an
    # unexpired driver licence and a mobile phone in their own name.
    verifiable: bool = True


@dataclass(frozen=True)
class PinnedBusiness:
    name: str
    entity_type: str
    owner_index: int
    tax_profile: str


@dataclass(frozen=True)
class PinnedEstate:
    decedent_index: int
    executor_index: int


PINNED_PEOPLE: dict[int, PinnedPerson] = {
    0: PinnedPerson("Alex", "Rivera", "M", "owes"),
    1: PinnedPerson("Jordan", "Lee", "F", "payment_plan"),
    2: PinnedPerson("Sam", "Patel", "M", "zero_returns"),
    3: PinnedPerson("Maria", "Gonzalez", "F", "new_to_state", tin_type="itin"),
    4: PinnedPerson("Chris", "Morgan", "M", "refunds"),
    5: PinnedPerson("Dana", "Hill", "F", "refunds"),
    6: PinnedPerson("Robert", "Hill", "M", "refunds", died_in=2025, verifiable=False),
    7: PinnedPerson("Taylor", "Brooks", "F", "refunds"),
    8: PinnedPerson("Pat", "Kim", "F", "late_filer"),
    9: PinnedPerson("Riley", "Chen", "F", "owes"),
}
PINNED_BUSINESSES: dict[int, PinnedBusiness] = {
    0: PinnedBusiness("Morgan Family Bakery LLC", "llc", owner_index=4, tax_profile="business_current"),
}
PINNED_ESTATES: dict[int, PinnedEstate] = {0: PinnedEstate(decedent_index=6, executor_index=5)}

PERSONAS: tuple[Persona, ...] = (
    Persona(
        key="alex",
        person_index=0,
        story="Alex Rivera owes last year's state balance, has no identity account yet, and walks the state "
        "Create My Logon guides (seeds 000 and 001, with a prior state return amount) and the federal "
        "guides (seeds 002-004).",
        tags=("state", "federal", "create_logon", "owes"),
    ),
    Persona(
        key="jordan",
        person_index=1,
        story="Jordan Lee already has an identity-provider account and is paying a balance under a payment plan.",
        identity_password="Demo-Jordan-2026!",  # noqa: S106  (a published demo password, like the rest of this file)
        identity_totp_secret="NDWPP4M62JNHAGOMWW2AIGFGLE5BXBMH",  # noqa: S106
        tags=("federal", "identity_account", "payment_plan"),
    ),
    Persona(
        key="sam",
        person_index=2,
        story="Sam Patel has filed only returns with no tax and no refund, so the state wizard shows the "
        "only-zero-returns message.",
        tags=("state", "create_logon", "zero_returns"),
    ),
    Persona(
        key="maria",
        person_index=3,
        story="Maria Gonzalez holds an ITIN, moved to Massachusetts this year and uses Register an Individual.",
        tags=("state", "register_individual", "itin", "new_to_state"),
    ),
    Persona(
        key="chris",
        person_index=4,
        story="Chris Morgan is the responsible party of Morgan Family Bakery LLC, uses Create My Logon for "
        "the business as its Master Administrator, and acts for it in the federal business tax account.",
        identity_password="Demo-Chris-2026!",  # noqa: S106
        identity_totp_secret="HTI4E6RMDBMBPLZH7EH4UXXZOSNTS4M5",  # noqa: S106
        business_index=0,
        tags=("state", "federal", "identity_account", "business", "master_administrator", "refunds"),
    ),
    Persona(
        key="dana",
        person_index=5,
        story="Dana Hill is the executor of the Estate of Robert Hill and uses Register an Estate.",
        estate_index=0,
        tags=("state", "estate", "executor", "refunds"),
    ),
    Persona(
        key="taylor",
        person_index=7,
        story="Taylor Brooks is a tax professional who uses Manage My Clients to act for taxpayers, and sends "
        "power of attorney requests from the federal account.",
        identity_password="Demo-Taylor-2026!",  # noqa: S106
        identity_totp_secret="D37AQMPARGEPLIZVMGZ4OWGZDFGDLQ66",  # noqa: S106
        tags=("state", "federal", "identity_account", "tax_professional", "refunds"),
    ),
    Persona(
        key="pat",
        person_index=8,
        story="Pat Kim filed late and has failure-to-file and failure-to-pay penalties, reminders and a levy notice, "
        "and asks online for a short-term payment plan.",
        identity_password="Demo-Pat-2026!",  # noqa: S106
        identity_totp_secret="P74DNHQWEYDKZRDDWQHYGKZOSFFIR3VL",  # noqa: S106
        tags=("state", "federal", "identity_account", "late_filer"),
    ),
    Persona(
        key="riley",
        person_index=9,
        story="Riley Chen already has an identity-provider account, owes last year's balance and applies "
        "online for a long-term payment plan paid by direct debit.",
        identity_password="Demo-Riley-2026!",  # noqa: S106
        identity_totp_secret="ADIP5IVGTMHTVGJT7ZBDV4NVHVXBSLDJ",  # noqa: S106
        tags=("federal", "identity_account", "owes"),
    ),
)
_BY_KEY = {each.key: each for each in PERSONAS}


def persona(key: str) -> Persona:
    """The persona named ``key``; a ``KeyError`` names the ones there are."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"no persona {key!r}; there are {sorted(_BY_KEY)}") from None
