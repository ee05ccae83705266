"""Reading the AAMVA DL/ID card data (CDS 2020 and earlier versions) carried in the PDF417
barcode on the back of US and Canadian driver's licences and ID cards.

Strict on purpose: the header's offsets and lengths locate each subfile (with a scan for
the many cards whose offsets are off), every element is checked against the version's
element map, dates follow the issuing country (US ``MMDDCCYY``, Canada ``CCYYMMDD``), and
jurisdiction subfiles (``Z?``) are kept as they are. Anything else is an ``AamvaError``
with the error code the verification pages use.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import Enum

from taxgov.identity.verification.errors import VerificationError

COMPLIANCE = "@\n\x1e\r"  # "@", LF, RS, CR
FILE_TYPE = "ANSI "
SEGMENT_TERMINATOR = "\r"
DATA_SEPARATOR = "\n"


class Kind(Enum):
    TEXT = "text"
    DATE = "date"
    FLAG = "flag"  # T (truncated), N (not truncated), U (unknown)


@dataclass(frozen=True)
class Element:
    id: str
    name: str
    kind: Kind = Kind.TEXT
    mandatory: bool = False
    since: int = 1  # the first AAMVA version that defines it


# The data elements of the AAMVA DL/ID Card Design Standard (2020, version 10), with the
# version that introduced each; earlier versions' elements keep their meaning.
ELEMENTS: dict[str, Element] = {
    element.id: element
    for element in (
        Element("DCA", "vehicle_class", mandatory=True),
        Element("DCB", "restrictions", mandatory=True),
        Element("DCD", "endorsements", mandatory=True),
        Element("DBA", "expiry_date", Kind.DATE, mandatory=True),
        Element("DCS", "family_name", mandatory=True, since=2),
        Element("DAC", "first_name", mandatory=True, since=4),
        Element("DAD", "middle_names", mandatory=True, since=4),
        Element("DBD", "issue_date", Kind.DATE, mandatory=True),
        Element("DBB", "date_of_birth", Kind.DATE, mandatory=True),
        Element("DBC", "sex", mandatory=True),
        Element("DAY", "eye_color", mandatory=True),
        Element("DAU", "height", mandatory=True),
        Element("DAG", "street_1", mandatory=True),
        Element("DAI", "city", mandatory=True),
        Element("DAJ", "jurisdiction", mandatory=True),
        Element("DAK", "postal_code", mandatory=True),
        Element("DAQ", "customer_id", mandatory=True),
        Element("DCF", "document_discriminator", mandatory=True),
        Element("DCG", "country", mandatory=True),
        Element("DDE", "family_name_truncation", Kind.FLAG, mandatory=True, since=4),
        Element("DDF", "first_name_truncation", Kind.FLAG, mandatory=True, since=4),
        Element("DDG", "middle_names_truncation", Kind.FLAG, mandatory=True, since=4),
        Element("DAH", "street_2"),
        Element("DAZ", "hair_color"),
        Element("DCI", "place_of_birth"),
        Element("DCJ", "audit_information"),
        Element("DCK", "inventory_control_number"),
        Element("DBN", "alias_family_name"),
        Element("DBG", "alias_given_name"),
        Element("DBS", "alias_suffix"),
        Element("DCU", "name_suffix"),
        Element("DCE", "weight_range"),
        Element("DCL", "race_ethnicity"),
        Element("DCM", "standard_vehicle_classification"),
        Element("DCN", "standard_endorsement_code"),
        Element("DCO", "standard_restriction_code"),
        Element("DCP", "jurisdiction_vehicle_class_description"),
        Element("DCQ", "jurisdiction_endorsement_description"),
        Element("DCR", "jurisdiction_restriction_description"),
        Element("DDA", "compliance_type", since=5),
        Element("DDB", "card_revision_date", Kind.DATE, since=5),
        Element("DDC", "hazmat_expiry_date", Kind.DATE, since=5),
        Element("DDD", "limited_duration_document", since=5),
        Element("DAW", "weight_pounds"),
        Element("DAX", "weight_kilograms"),
        Element("DDH", "under_18_until", Kind.DATE, since=5),
        Element("DDI", "under_19_until", Kind.DATE, since=5),
        Element("DDJ", "under_21_until", Kind.DATE, since=5),
        Element("DDK", "organ_donor", since=5),
        Element("DDL", "veteran", since=5),
        # Versions 1-3 wrote the whole name, or only first and middle, in these.
        Element("DAA", "full_name"),
        Element("DCT", "given_names", since=2),
    )
}
SEX = {"1": "M", "2": "F", "9": "X"}


class AamvaError(VerificationError):
    """The data is not an AAMVA card file we can trust."""

    def __init__(self, message: str, code: str = "IDV-DOC-002") -> None:
        super().__init__(message, code)


@dataclass
class CardData:
    """What the barcode says, by element name; ``elements`` keeps every value as read."""

    issuer_id: str
    version: int
    jurisdiction_version: int
    document_type: str  # "DL" or "ID"
    elements: dict[str, str]
    jurisdiction_subfiles: dict[str, str] = field(default_factory=dict)

    def text(self, name: str) -> str:
        return self.elements.get(name, "")

    def date(self, name: str) -> dt.date | None:
        value = self.elements.get(name)
        return _date(value, self.country) if value else None

    @property
    def country(self) -> str:
        return self.elements.get("country", "USA") or "USA"

    @property
    def family_name(self) -> str:
        if "family_name" in self.elements:
            return self.elements["family_name"]
        return _split_full_name(self.elements.get("full_name", ""))[0]

    @property
    def first_name(self) -> str:
        if "first_name" in self.elements:
            return self.elements["first_name"]
        given = self.elements.get("given_names") or _split_full_name(self.elements.get("full_name", ""))[1]
        return given.replace(",", " ").split()[0] if given.strip() else ""

    @property
    def sex(self) -> str:
        return SEX.get(self.elements.get("sex", ""), "")

    @property
    def expired_on(self) -> dt.date | None:
        return self.date("expiry_date")


def _split_full_name(full: str) -> tuple[str, str]:
    """Version 1 wrote ``FAMILY,FIRST,MIDDLE`` (or with spaces)."""
    parts = [part.strip() for part in re.split(r"[,$]", full) if part.strip()]
    return (parts[0], " ".join(parts[1:])) if parts else ("", "")


def _date(value: str, country: str) -> dt.date:
    if not re.fullmatch(r"[0-9]{8}", value):
        raise AamvaError(f"date {value!r} is not 8 digits", code="IDV-DOC-002")
    try:
        if country == "CAN":
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        return dt.date(int(value[4:]), int(value[:2]), int(value[2:4]))
    except ValueError as error:
        raise AamvaError(f"date {value!r} does not exist", code="IDV-DOC-002") from error


def parse(raw: str | bytes) -> CardData:
    """Parse the barcode's text (as read with control characters kept)."""
    text = raw.decode("latin-1") if isinstance(raw, bytes) else raw
    if not text.startswith("@") or FILE_TYPE not in text[:12]:
        raise AamvaError("not an AAMVA card file", code="IDV-DOC-001")
    start = text.index(FILE_TYPE)
    header = text[start + len(FILE_TYPE) :]
    # IIN, version, then (from version 2) the jurisdiction version, then the entry count.
    match = re.match(r"([0-9]{6})([0-9]{2})", header)
    version = int(match.group(2)) if match else 0
    counts = re.match(r"([0-9]{2})" if version == 1 else r"([0-9]{2})([0-9]{2})", header[8:]) if match else None
    if match is None or counts is None:
        raise AamvaError("the header is not IIN, version, jurisdiction version and entry count")
    issuer_id = match.group(1)
    jurisdiction_version = 0 if version == 1 else int(counts.group(1))
    entries = int(counts.groups()[-1])
    if not 1 <= version <= 99 or entries < 1:
        raise AamvaError("the header's version or entry count is not possible")
    designators = header[8 + counts.end() :]
    subfiles = _subfiles(text, designators, entries)
    card_type = next((kind for kind in ("DL", "ID") if kind in subfiles), None)
    if card_type is None:
        raise AamvaError("no DL or ID subfile")
    elements = _elements(subfiles.pop(card_type), card_type, version)
    card = CardData(
        issuer_id=issuer_id,
        version=version,
        jurisdiction_version=jurisdiction_version,
        document_type=card_type,
        elements=elements,
        jurisdiction_subfiles={kind: body for kind, body in subfiles.items() if kind.startswith("Z")},
    )
    for name in ("date_of_birth", "expiry_date", "issue_date"):
        if name in elements:
            card.date(name)  # raises on an impossible date
    return card


def _subfiles(text: str, designators: str, entries: int) -> dict[str, str]:
    """Each subfile by the header's offset and length; if a card's offsets are wrong (many
    are), by finding the subfile type where the designator says it starts or anywhere."""
    found: dict[str, str] = {}
    for index in range(entries):
        designator = designators[index * 10 : index * 10 + 10]
        if not re.fullmatch(r"[A-Z]{2}[0-9]{8}", designator):
            raise AamvaError("a subfile designator is not type, offset and length")
        kind, offset, length = designator[:2], int(designator[2:6]), int(designator[6:10])
        body = text[offset : offset + length]
        if not body.startswith(kind):
            position = text.find(kind, offset - 20 if offset > 20 else 0)
            position = position if position >= 0 else text.find(kind)
            if position < 0:
                raise AamvaError(f"subfile {kind} is not where the header says")
            end = text.find(SEGMENT_TERMINATOR, position)
            body = text[position : end + 1 if end >= 0 else len(text)]
        found[kind] = body[len(kind) :].rstrip(SEGMENT_TERMINATOR + DATA_SEPARATOR)
    return found


def _elements(body: str, card_type: str, version: int) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in body.split(DATA_SEPARATOR):
        line = line.strip("\r")
        if not line:
            continue
        element_id, value = line[:3], line[3:].strip()
        element = ELEMENTS.get(element_id)
        if element is None:
            if re.fullmatch(r"[A-Z]{3}", element_id):
                continue  # an element of a later version than this map: kept out, not an error
            raise AamvaError(f"{element_id!r} is not a data element")
        if element.kind is Kind.FLAG and value not in ("T", "N", "U"):
            raise AamvaError(f"{element_id} must be T, N or U")
        values[element.name] = value
    needed = [
        e
        for e in ELEMENTS.values()
        if e.mandatory and e.since <= version and not (card_type == "ID" and e.id in ("DCA", "DCB", "DCD"))
    ]
    missing = [e.id for e in needed if e.name not in values]
    if missing:
        raise AamvaError(f"mandatory elements missing: {', '.join(missing)}")
    return values
