"""The NACHA file format of the ACH network, as far as the federal rail needs it: one batch of
WEB debits to send, and the return entries (addenda type 99) in the files the ODFI sends back.

Every record is 94 characters; a file is a file header, batches (a batch header, entries and
their addenda, a batch control), a file control, then records of nines up to a multiple of ten
records. Field positions follow the NACHA Operating Rules, Appendix Three (ADR 0028 says what
was checked and against what). Written by hand: no library on PyPI is kept up and lets the
originator choose its trace numbers.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

RECORD_LENGTH = 94
BLOCKING_FACTOR = 10
FILLER = "9" * RECORD_LENGTH
# The file ID modifier tells apart the files of one day from one origin to one destination.
FILE_ID_MODIFIERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
DEBITS_ONLY = "225"  # service class code
WEB = "WEB"  # standard entry class: a consumer's debit authorized on the internet
FEDERAL_GOVERNMENT = "2"  # originator status code of a Federal Government entity or agency
DEBIT_CODE = {"checking": "27", "savings": "37"}
HASH_MODULUS = 10**10  # hashes and sums keep their rightmost ten digits


class NachaError(ValueError):
    """Not a well-formed NACHA file. The message says which line and rule, never what a field
    holds (fields hold account numbers)."""


@dataclass(frozen=True)
class Originator:
    """Who sends the debits, as the financial agent set it up (all from settings)."""

    immediate_destination: str  # 10 characters: usually a blank and the ODFI's routing number
    immediate_destination_name: str
    immediate_origin: str  # 10 characters
    company_id: str  # the Originator's identification at the ODFI
    company_name: str  # what the taxpayer's statement shows, with the entry description
    odfi_routing: str  # its first 8 digits start every trace number
    entry_description: str


@dataclass(frozen=True)
class Debit:
    account_kind: str  # checking or savings
    routing_number: str
    account_number: str
    amount_cents: int
    individual_id: str  # the payment's confirmation number: returns carry it back
    individual_name: str
    trace_number: str


@dataclass(frozen=True)
class Return:
    """A debit the receiving bank sent back."""

    original_trace: str
    reason_code: str
    individual_id: str
    amount_cents: int


def alphanumeric(value: str, width: int) -> str:
    """Upper case, accents folded to ASCII, left-justified and space-filled to ``width``, cut if
    longer (only for names: callers check the lengths of identifiers first)."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    printable = "".join(char if " " <= char <= "~" else " " for char in folded)
    return printable.upper()[:width].ljust(width)


def numeric(value: int, width: int) -> str:
    text = str(value)
    if value < 0 or len(text) > width:
        raise ValueError(f"a number does not fit a {width}-digit field")
    return text.zfill(width)


def debit_file(
    originator: Originator,
    debits: Iterable[Debit],
    *,
    created_at: dt.datetime,
    modifier: str,
    effective_date: dt.date,
) -> str:
    """One file with one batch of WEB debits, in ascending trace number order as the rules ask."""
    entries = sorted(debits, key=lambda debit: debit.trace_number)
    if not entries:
        raise ValueError("a batch needs at least one entry")
    odfi = originator.odfi_routing[:8]
    entry_hash = sum(int(debit.routing_number[:8]) for debit in entries) % HASH_MODULUS
    total = sum(debit.amount_cents for debit in entries)
    records = [
        "1"
        + "01"  # priority code
        + originator.immediate_destination
        + originator.immediate_origin
        + created_at.strftime("%y%m%d%H%M")
        + modifier
        + "094"  # record size
        + numeric(BLOCKING_FACTOR, 2)
        + "1"  # format code
        + alphanumeric(originator.immediate_destination_name, 23)
        + alphanumeric(originator.company_name, 23)
        + " " * 8,  # reference code
        "5"
        + DEBITS_ONLY
        + alphanumeric(originator.company_name, 16)
        + " " * 20  # company discretionary data
        + alphanumeric(originator.company_id, 10)
        + WEB
        + alphanumeric(originator.entry_description, 10)
        + " " * 6  # company descriptive date
        + effective_date.strftime("%y%m%d")
        + " " * 3  # settlement date: the ACH operator fills it in
        + FEDERAL_GOVERNMENT
        + odfi
        + numeric(1, 7),  # batch number
        *(_entry(debit) for debit in entries),
        "8"
        + DEBITS_ONLY
        + numeric(len(entries), 6)
        + numeric(entry_hash, 10)
        + numeric(total, 12)
        + numeric(0, 12)  # credits
        + alphanumeric(originator.company_id, 10)
        + " " * 19  # message authentication code
        + " " * 6  # reserved
        + odfi
        + numeric(1, 7),
    ]
    records.append(
        "9"
        + numeric(1, 6)  # batches
        + numeric(math.ceil((len(records) + 1) / BLOCKING_FACTOR), 6)
        + numeric(len(entries), 8)
        + numeric(entry_hash, 10)
        + numeric(total, 12)
        + numeric(0, 12)
        + " " * 39
    )
    records += [FILLER] * (-len(records) % BLOCKING_FACTOR)
    if any(len(record) != RECORD_LENGTH for record in records):
        raise NachaError(f"a record is not {RECORD_LENGTH} characters")
    return "\n".join(records) + "\n"


def _entry(debit: Debit) -> str:
    if len(debit.account_number) > 17 or not (debit.routing_number.isdigit() and len(debit.routing_number) == 9):
        raise ValueError("a bank account does not fit an entry detail record")
    return (
        "6"
        + DEBIT_CODE[debit.account_kind]
        + debit.routing_number  # the RDFI's 8 digits, then the check digit
        + alphanumeric(debit.account_number, 17)
        + numeric(debit.amount_cents, 10)
        + alphanumeric(debit.individual_id, 15)
        + alphanumeric(debit.individual_name, 22)
        + "  "  # discretionary data (WEB's payment type code until 2021)
        + "0"  # no addenda
        + debit.trace_number
    )


def read_returns(text: str) -> list[Return]:
    """The return entries of a file from the ODFI, after checking the whole file: record lengths
    and order, and each batch's and the file's counts, entry hash and amounts. Notifications of
    change (addenda type 98) and any other entry are read past."""
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    for number, line in enumerate(lines, 1):
        if len(line) != RECORD_LENGTH:
            raise NachaError(f"line {number} has {len(line)} characters, not {RECORD_LENGTH}")
    reader = _Reader(lines)
    reader.expect("1", "a file header")
    returns: list[Return] = []
    batches = count = entry_hash = amount = 0
    while reader.next_is("5"):
        reader.take()
        batch_count = batch_hash = batch_amount = 0
        while reader.next_is("6"):
            entry_number, entry = reader.take()
            batch_count += 1
            batch_hash += reader.number(entry_number, entry, 3, 11)
            entry_amount = reader.number(entry_number, entry, 29, 39)
            batch_amount += entry_amount
            addenda = []
            while reader.next_is("7"):
                addenda.append(reader.take())
                batch_count += 1
            if (entry[78] == "1") != bool(addenda):
                raise NachaError(f"line {entry_number}: the addenda indicator does not match the records after it")
            returns += [
                Return(
                    original_trace=reader.digits(addenda_number, record, 6, 21),
                    reason_code=record[3:6],
                    individual_id=entry[39:54].strip(),
                    amount_cents=entry_amount,
                )
                for addenda_number, record in addenda
                if record[1:3] == "99"
            ]
        number, control = reader.expect("8", "a batch control")
        reader.check(number, "entry and addenda count", reader.number(number, control, 4, 10), batch_count)
        reader.check(number, "entry hash", reader.number(number, control, 10, 20), batch_hash % HASH_MODULUS)
        totals = reader.number(number, control, 20, 32) + reader.number(number, control, 32, 44)
        reader.check(number, "total amount", totals, batch_amount)
        batches += 1
        count += batch_count
        entry_hash += batch_hash
        amount += batch_amount
    number, control = reader.expect("9", "a batch header or the file control")
    reader.check(number, "batch count", reader.number(number, control, 1, 7), batches)
    reader.check(number, "entry and addenda count", reader.number(number, control, 13, 21), count)
    reader.check(number, "entry hash", reader.number(number, control, 21, 31), entry_hash % HASH_MODULUS)
    totals = reader.number(number, control, 31, 43) + reader.number(number, control, 43, 55)
    reader.check(number, "total amount", totals, amount)
    reader.expect_only_filler()
    return returns


class _Reader:
    """Walks the records of a file, naming the line of anything wrong."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.index = 0

    def next_is(self, record_type: str) -> bool:
        return self.index < len(self.lines) and self.lines[self.index][0] == record_type

    def take(self) -> tuple[int, str]:
        self.index += 1
        return self.index, self.lines[self.index - 1]

    def expect(self, record_type: str, what: str) -> tuple[int, str]:
        if not self.next_is(record_type):
            raise NachaError(f"line {self.index + 1}: expected {what}")
        return self.take()

    def expect_only_filler(self) -> None:
        for number, line in enumerate(self.lines[self.index :], self.index + 1):
            if line != FILLER:
                raise NachaError(f"line {number}: only records of nines may follow the file control")

    @staticmethod
    def digits(number: int, record: str, start: int, end: int) -> str:
        field = record[start:end]
        if not field.isdigit():
            raise NachaError(f"line {number}: positions {start + 1}-{end} must be digits")
        return field

    def number(self, number: int, record: str, start: int, end: int) -> int:
        return int(self.digits(number, record, start, end))

    @staticmethod
    def check(number: int, what: str, stated: int, counted: int) -> None:
        if stated != counted:
            raise NachaError(f"line {number}: the {what} does not match the records")
