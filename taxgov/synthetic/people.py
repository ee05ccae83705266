"""The synthetic people, businesses and estates every deployable's demo data is built from.

Pure Python and deterministic: the same seed and index give the same person in every
process, so the identity provider's authoritative records and both agencies' ledgers, each
loaded by its own deployable into its own database, describe the same people without
sharing anything but this code.

Identifiers come from ranges never issued: SSNs with area 900-999 and group 01-49 (neither
an SSN nor an ITIN), ITINs with serial 0000, EINs with prefix 00. Phone numbers are in the
555-01XX block reserved for fiction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Address:
    line1: str
    city: str
    state: str  # USPS code
    postal_code: str
    valid_from: dt.date
    valid_to: dt.date | None = None  # None: the current address
    line2: str = ""


@dataclass(frozen=True)
class Phone:
    number: str  # E.164, +1NPA5550100-+1NPA5550199
    kind: str  # "mobile", "home" or "work"
    owned_since: dt.date
    carrier: str
    in_own_name: bool  # what a phone-ownership check would answer


@dataclass(frozen=True)
class DriverLicence:
    """What the issuing state's records hold (AAMVA DLDV-style), and the card shows."""

    state: str
    number: str
    document_type: str  # "driver_licence" or "state_id"
    issued_on: dt.date
    expires_on: dt.date
    document_discriminator: str
    sex: str  # "F", "M" or "X"
    height_cm: int
    eye_colour: str  # AAMVA codes: BLK BLU BRO GRY GRN HAZ MAR PNK DIC UNK


@dataclass(frozen=True)
class Person:
    index: int
    tin: str  # 9 digits, no dashes
    tin_type: str  # "ssn" or "itin"
    first_name: str
    middle_name: str
    last_name: str
    suffix: str
    date_of_birth: dt.date
    addresses: tuple[Address, ...]  # oldest first; the last one is current
    phones: tuple[Phone, ...]
    email: str  # at example.com, example.net or example.org
    driver_licence: DriverLicence | None
    date_of_death: dt.date | None = None
    tax_profile: str = ""  # what a demo persona's tax history must show (see personas.py)

    @property
    def current_address(self) -> Address:
        return self.addresses[-1]


@dataclass(frozen=True)
class Business:
    index: int
    ein: str  # 9 digits, prefix 00
    name: str
    entity_type: str  # "corporation", "partnership", "sole_proprietor", "llc"
    formed_on: dt.date
    address: Address
    owner_index: int  # the Person who is its responsible party
    employees: int
    tax_profile: str = ""


@dataclass(frozen=True)
class Estate:
    index: int
    ein: str  # 9 digits, prefix 00
    name: str  # "Estate of <decedent>"
    decedent_index: int  # a Person with date_of_death set
    executor_index: int  # the Person who is the executor
    formed_on: dt.date
    address: Address
    tax_profile: str = ""


@dataclass(frozen=True)
class Persona:
    """A named demo person, with what someone needs to follow each seed guide as them."""

    key: str  # short stable name, e.g. "alex"
    person_index: int
    story: str  # one sentence: who they are and which guide they walk
    identity_password: str | None = None  # set when they already have an identity-provider account
    identity_totp_secret: str | None = (
        None  # that account's authenticator-app key (base32), published like the password
    )
    business_index: int | None = None
    estate_index: int | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)


# What a person's tax history looks like, with the share of the population that has it.
# The population assigns one to each person; the ledger's generator turns it into returns,
# information returns, transactions and notices for each agency.
TAX_PROFILES: dict[str, float] = {
    "refunds": 0.60,  # files on time every year and gets a refund
    "balance_paid": 0.15,  # files on time, pays the small balance with the return
    "owes": 0.09,  # latest year's balance is unpaid
    "payment_plan": 0.04,  # owes and pays under an installment agreement
    "late_filer": 0.03,  # filed late: failure-to-file and -pay penalties, reminders, a levy notice
    "zero_returns": 0.05,  # files returns that show no tax and no refund
    "new_to_state": 0.03,  # federal history only: moved to the state this year
    "non_filer": 0.01,  # no returns at all
}
BUSINESS_PROFILES: dict[str, float] = {"business_current": 0.85, "business_owes": 0.15}
ESTATE_PROFILES: dict[str, float] = {"estate": 1.0}
