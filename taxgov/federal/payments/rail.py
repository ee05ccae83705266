"""The bank rail behind one interface, chosen by TAXGOV_FEDERAL_PAYMENT_RAIL: send a debit,
submit the debits of a run, and hear which debits the banks sent back.

``demo`` (the default) plays the banks: every debit settles, except from the demo accounts
``990000NN``, which come back with NACHA return code ``RNN`` (for example 99000001: R01,
insufficient funds).

``nacha`` is the financial agent's ACH origination through files (ADR 0028): each settlement
run leaves one NACHA file of WEB debits in an outbox the agent's transfer picks up, and the
ODFI's return files are read from an inbox.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from stdnum.us import rtn

from taxgov.common.audit.actions import record_event
from taxgov.federal.payments import nacha
from taxgov.federal.payments.models import NachaEntry, NachaFile, Payment, PaymentStatus, ReturnReason
from taxgov.federal.payments.tags import PaymentTag

logger = logging.getLogger(__name__)

DEMO_RETURN_PREFIX = "990000"


class PaymentRail(Protocol):
    def send_debits(self, payments: Sequence[Payment]) -> None:
        """Originate the payments' debits, in the caller's transaction; sending the same
        payment twice debits once (the trace number comes from the payment)."""

    def submit(self, today: dt.date) -> None:
        """Hand the bank the debits sent since the last submit, together."""

    def returned(self, since: dt.datetime) -> dict[int, ReturnReason]:
        """Of the payments processed since then (and not returned yet), the ones a bank sent
        back, by payment id."""


class DemoBanks:
    def send_debits(self, payments: Sequence[Payment]) -> None:
        return None

    def submit(self, today: dt.date) -> None:
        return None

    def returned(self, since: dt.datetime) -> dict[int, ReturnReason]:
        codes = {choice.value for choice in ReturnReason}
        found: dict[int, ReturnReason] = {}
        processed = Payment.objects.filter(status=PaymentStatus.PROCESSED, processed_at__gte=since)
        # Only the few whose last four digits could be a demo account's are decrypted.
        maybe = processed.filter(account_number_last4__startswith=DEMO_RETURN_PREFIX[-2:])
        for payment in maybe.only("pk", "account_number"):
            number = payment.account_number
            code = f"R{number[-2:]}"
            if len(number) == 8 and number.startswith(DEMO_RETURN_PREFIX) and code in codes:
                found[payment.pk] = ReturnReason(code)
        return found


# Return codes without a reason of their own, read as the nearest reason a taxpayer would
# recognize; any other code is ReturnReason.OTHER (ADR 0028).
NEAREST_REASON = {
    "R09": ReturnReason.R01,  # uncollected funds
    "R12": ReturnReason.R02,  # account sold to another bank
    "R13": ReturnReason.R03,  # invalid ACH routing number
    "R28": ReturnReason.R03,  # routing number check digit error
    "R05": ReturnReason.R10,  # a consumer account debited under a corporate SEC code, unauthorized
    "R11": ReturnReason.R10,  # not in accordance with the terms of the authorization
    "R29": ReturnReason.R10,  # the company says the debit was not authorized
    # Faults of the originator or its bank, not of the taxpayer's account: no penalty.
    "R06": ReturnReason.OUR_ERROR,  # returned at the ODFI's request
    "R17": ReturnReason.OUR_ERROR,  # file record edit criteria
    "R18": ReturnReason.OUR_ERROR,  # improper effective entry date
    "R19": ReturnReason.OUR_ERROR,  # amount field error
    "R24": ReturnReason.OUR_ERROR,  # duplicate entry
    "R25": ReturnReason.OUR_ERROR,  # addenda error
    "R26": ReturnReason.OUR_ERROR,  # mandatory field error
    "R27": ReturnReason.OUR_ERROR,  # trace number error
}


def return_reason(code: str) -> ReturnReason:
    if code in ReturnReason.values:
        return ReturnReason(code)
    return NEAREST_REASON.get(code, ReturnReason.OTHER)


SETTLING_SECONDS = 60  # a return file younger than this may still be arriving
ENTRIES_PER_FILE = 999_999  # a file holds one batch, whose control record counts its entries in 6 digits
ENTRIES_PER_QUERY = 10_000  # entries one query reads or changes
# What an entry detail record is written from: the taxpayer's other fields (the TIN among
# them) are not even read.
DEBIT_FIELDS = ("bank_account_kind", "routing_number", "account_number", "amount", "confirmation_number")
NAME_FIELDS = ("kind", "first_name", "middle_name", "last_name", "suffix", "name")


class NachaRail:
    """Debits are queued in the payment's own transaction (one ``NachaEntry`` per payment, so a
    second send changes nothing) and written at the end of the run into one file, which is
    complete in a staging folder before it is moved into the outbox. Files are 0600; account
    and routing numbers are written there and nowhere else (never to logs or the audit log)."""

    def __init__(self, originator: nacha.Originator, *, outbox: Path, inbox: Path) -> None:
        self.originator = originator
        self.outbox = outbox
        self.inbox = inbox

    @classmethod
    def from_settings(cls, values: Mapping[str, str]) -> NachaRail:
        """The rail TAXGOV_FEDERAL_NACHA describes; a value that cannot be right stops here."""

        def setting(name: str, *, width: int, digits: bool = False) -> str:
            value = values[name]
            if not 0 < len(value) <= width or (digits and not value.isdigit()):
                size = f"{width} digits" if digits else f"1 to {width} characters"
                raise ImproperlyConfigured(f"TAXGOV_FEDERAL_NACHA_{name.upper()} must be {size}.")
            return value

        def immediate(name: str) -> str:
            value = values[name]
            if len(value) == 9 and value.isdigit():
                return f" {value}"  # a routing number, preceded by a blank
            if len(value) == 10:
                return value
            raise ImproperlyConfigured(
                f"TAXGOV_FEDERAL_NACHA_{name.upper()} must be a 9-digit routing number or 10 characters."
            )

        odfi = setting("odfi_routing", width=9, digits=True)
        if not rtn.is_valid(odfi):
            raise ImproperlyConfigured("TAXGOV_FEDERAL_NACHA_ODFI_ROUTING is not a valid routing number.")
        folders = {name: Path(values[name]) for name in ("outbox", "inbox")}
        for name, folder in folders.items():
            if not folder.is_dir():
                raise ImproperlyConfigured(f"TAXGOV_FEDERAL_NACHA_{name.upper()} must be an existing folder.")
        originator = nacha.Originator(
            immediate_destination=immediate("immediate_destination"),
            immediate_destination_name=values["immediate_destination_name"][:23],
            immediate_origin=immediate("immediate_origin"),
            company_id=setting("company_id", width=10),
            company_name=setting("company_name", width=16),
            odfi_routing=odfi,
            entry_description=setting("entry_description", width=10),
        )
        return cls(originator, outbox=folders["outbox"], inbox=folders["inbox"])

    def trace_number(self, payment: Payment) -> str:
        """The ODFI's 8 digits and 7 from the payment's id: the same payment, the same trace.
        After ten million payments the digits repeat; returns tell such entries apart by the
        confirmation number they carry back."""
        return self.originator.odfi_routing[:8] + f"{payment.pk % 10**7:07d}"

    def send_debits(self, payments: Sequence[Payment]) -> None:
        """One entry per payment: one already queued or sent stays as it is."""
        NachaEntry.objects.bulk_create(
            [NachaEntry(payment=payment, trace_number=self.trace_number(payment)) for payment in payments],
            ignore_conflicts=True,
        )

    def submit(self, today: dt.date) -> None:
        """Finish any file an earlier run left half-way, then file the queued debits."""
        for unsent in NachaFile.objects.filter(sent_at=None).order_by("pk"):
            self._send(unsent)
        while (created := self._new_file(today)) is not None:
            self._send(created)

    @transaction.atomic
    def _new_file(self, today: dt.date) -> NachaFile | None:
        queued = list(
            NachaEntry.objects.select_for_update()
            .filter(file=None)
            .order_by("pk")
            .values_list("pk", flat=True)[:ENTRIES_PER_FILE]
        )
        if not queued:
            return None
        now = timezone.now()
        created_on = timezone.localdate(now)
        used = NachaFile.objects.filter(created_on=created_on).count()
        if used >= len(nacha.FILE_ID_MODIFIERS):
            logger.warning("%d NACHA files were written today, the most a day allows; debits wait for tomorrow", used)
            return None
        modifier = nacha.FILE_ID_MODIFIERS[used]
        created = NachaFile.objects.create(
            name=f"taxgov-{created_on:%Y%m%d}-{modifier}.ach",
            created_at=now,
            created_on=created_on,
            modifier=modifier,
            effective_date=today,
        )
        for start in range(0, len(queued), ENTRIES_PER_QUERY):
            NachaEntry.objects.filter(pk__in=queued[start : start + ENTRIES_PER_QUERY]).update(file=created)
        return created

    def _send(self, file: NachaFile) -> None:
        """Stage the file (written whole, then linked into the staging folder), then move it
        into the outbox. Whichever step a stopped run reached, the next one finishes the file
        without ever putting a second copy in the outbox: a staged file is only moved, and a
        staged file that is gone was moved already."""
        staging = _folder(self.outbox / ".staging")
        staged = staging / file.name
        if not file.staged:
            with transaction.atomic():
                file = NachaFile.objects.select_for_update().get(pk=file.pk)
                if not file.staged:
                    _write_once(staged, self._render(file))
                    file.staged = True
                    file.save(update_fields=["staged"])
        with contextlib.suppress(FileNotFoundError):  # another run moved it already
            os.rename(staged, self.outbox / file.name)
        _sync(self.outbox)
        with transaction.atomic():
            if NachaFile.objects.filter(pk=file.pk, sent_at=None).update(sent_at=timezone.now()):
                sent = file.entries.aggregate(entries=Count("pk"), total=Sum("payment__amount"))
                record_event(
                    PaymentTag.FILE_SENT,
                    subject=f"nacha_file:{file.pk}",
                    extra={"name": file.name, "entries": sent["entries"], "total": f"{sent['total']:.2f}"},
                )
                logger.info("NACHA file %s with %d debits is in the outbox", file.name, sent["entries"])

    def _render(self, file: NachaFile) -> str:
        entries = (
            NachaEntry.objects.filter(file=file)
            .select_related("payment__taxpayer")
            .only(
                "trace_number",
                *(f"payment__{name}" for name in DEBIT_FIELDS),
                *(f"payment__taxpayer__{name}" for name in NAME_FIELDS),
            )
            .iterator(chunk_size=ENTRIES_PER_QUERY)
        )
        debits = [
            nacha.Debit(
                account_kind=entry.payment.bank_account_kind,
                routing_number=entry.payment.routing_number,
                account_number=entry.payment.account_number,
                amount_cents=int(entry.payment.amount * 100),
                individual_id=entry.payment.confirmation_number,
                individual_name=entry.payment.taxpayer.display_name,
                trace_number=entry.trace_number,
            )
            for entry in entries
        ]
        return nacha.debit_file(
            self.originator,
            debits,
            created_at=timezone.localtime(file.created_at),
            modifier=file.modifier,
            effective_date=file.effective_date,
        )

    def returned(self, since: dt.datetime) -> dict[int, ReturnReason]:
        self._read_inbox()
        codes = (
            NachaEntry.objects.exclude(return_code="")
            .filter(payment__status=PaymentStatus.PROCESSED, payment__processed_at__gte=since)
            .values_list("payment_id", "return_code")
        )
        return {payment_id: return_reason(code) for payment_id, code in codes}

    def _read_inbox(self) -> None:
        """Record the returns of each file the ODFI left, then move the file to ``processed/``
        (read once). A malformed file goes to ``rejected/`` and is reported; the others are read."""
        for path in sorted(self.inbox.iterdir()):
            if not path.is_file() or path.name.startswith("."):
                continue
            try:
                if time.time() - path.stat().st_mtime < SETTLING_SECONDS:
                    continue
                returns = nacha.read_returns(path.read_text(encoding="ascii"))
            except (nacha.NachaError, UnicodeDecodeError) as error:
                problem = str(error) if isinstance(error, nacha.NachaError) else "not ASCII text"
                logger.error("Return file %s is malformed (%s): moved to rejected/", path.name, problem)
                record_event(
                    PaymentTag.RETURN_FILE_REJECTED,
                    subject=f"nacha_return_file:{path.name}",
                    extra={"problem": problem},
                )
                _move(path, _folder(self.inbox / "rejected"))
                continue
            except OSError as error:
                logger.error("Return file %s cannot be read (%s)", path.name, error.strerror)
                continue
            self._record(returns, path.name)
            _move(path, _folder(self.inbox / "processed"))

    @transaction.atomic
    def _record(self, returns: list[nacha.Return], name: str) -> None:
        unmatched = 0
        for item in returns:
            entry = _entry_for(item)
            if entry is None:
                unmatched += 1
            elif not entry.return_code:
                entry.return_code = item.reason_code
                entry.save(update_fields=["return_code"])
        record_event(
            PaymentTag.RETURNS_READ,
            subject=f"nacha_return_file:{name}",
            extra={"returns": len(returns), "unmatched": unmatched},
        )
        if unmatched:
            logger.warning("%d of the %d returns in %s match no debit sent", unmatched, len(returns), name)


def _entry_for(item: nacha.Return) -> NachaEntry | None:
    candidates = list(NachaEntry.objects.filter(trace_number=item.original_trace).select_related("payment"))
    if len(candidates) > 1:
        candidates = [entry for entry in candidates if entry.payment.confirmation_number == item.individual_id]
    return candidates[0] if len(candidates) == 1 else None


def _folder(path: Path) -> Path:
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _write_once(path: Path, text: str) -> None:
    """``path`` with this text, mode 0600, never seen half-written: the text goes to a temporary
    file in the same folder first, which is then linked into place (left alone if a stopped run
    put it there already)."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(descriptor, "w", encoding="ascii", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    _sync(path.parent)


def _sync(folder: Path) -> None:
    """Make a rename or link in ``folder`` durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _move(path: Path, folder: Path) -> None:
    target = folder / path.name
    if target.exists():
        target = folder / f"{path.name}.{timezone.now():%Y%m%dT%H%M%S%f}"
    os.rename(path, target)


def payment_rail() -> PaymentRail:
    if settings.TAXGOV_FEDERAL_PAYMENT_RAIL == "demo":
        return DemoBanks()
    if settings.TAXGOV_FEDERAL_PAYMENT_RAIL == "nacha":
        return NachaRail.from_settings(settings.TAXGOV_FEDERAL_NACHA)
    raise ImproperlyConfigured(f"Unknown TAXGOV_FEDERAL_PAYMENT_RAIL {settings.TAXGOV_FEDERAL_PAYMENT_RAIL!r}.")
