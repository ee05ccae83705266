"""Every write to the ledger: atomic, validated, audited, and idempotent where money moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from taxgov.common.audit.actions import NewEvent, record_event, record_events
from taxgov.common.bulk import insert_rows
from taxgov.ledger import codes
from taxgov.ledger.engine import Posting, ScenarioError, validate
from taxgov.ledger.identifiers import InvalidTinError, new_letter_id, normalize_tin, tin_fingerprint
from taxgov.ledger.models import (
    AccountType,
    Address,
    Contact,
    Notice,
    NoticeKind,
    ReturnKind,
    TaxAccount,
    Taxpayer,
    TaxPeriod,
    TaxReturn,
    TinType,
    Transaction,
)
from taxgov.ledger.tags import LedgerTag


class LedgerError(ValueError):
    """A write the ledger refuses; the message says why and nothing was changed."""


class IdempotencyConflictError(LedgerError):
    """The idempotency key was used before for a different movement."""


def posting_cycle(day: dt.date) -> str:
    """The transcript cycle of a posting day: ISO year, ISO week and weekday (01 = Monday)."""
    year, week, weekday = day.isocalendar()
    return f"{year:04d}{week:02d}{weekday:02d}"


@dataclass(frozen=True)
class NewAddress:
    line1: str
    city: str
    state: str
    postal_code: str
    valid_from: dt.date
    line2: str = ""
    kind: str = "mailing"


@transaction.atomic
def do_register_taxpayer(
    *,
    kind: str,
    tin_type: str,
    tin: str,
    address: NewAddress,
    registered_on: dt.date,
    first_name: str = "",
    middle_name: str = "",
    last_name: str = "",
    suffix: str = "",
    name: str = "",
    date_of_birth: dt.date | None = None,
    contacts: tuple[tuple[str, str], ...] = (),
    responsible_party_tin: str = "",
    actor: str = "",
) -> Taxpayer:
    """Create a taxpayer with its current address and contacts; refuses a TIN already on file.
    A business or estate may name its responsible party's SSN, kept only as a fingerprint."""
    try:
        digits = normalize_tin(tin)
        responsible = tin_fingerprint(responsible_party_tin) if responsible_party_tin else ""
    except InvalidTinError as error:
        raise LedgerError(str(error)) from None
    if tin_type not in TinType.values:
        raise LedgerError(f"Unknown identification number type {tin_type!r}.")
    taxpayer = Taxpayer(
        kind=kind,
        tin_type=tin_type,
        tin=digits,
        tin_fingerprint=tin_fingerprint(digits),
        first_name=first_name,
        middle_name=middle_name,
        last_name=last_name,
        suffix=suffix,
        name=name,
        date_of_birth=date_of_birth.isoformat() if date_of_birth else "",
        responsible_party_fingerprint=responsible,
    )
    try:
        with transaction.atomic():
            taxpayer.save()
    except IntegrityError as error:
        if Taxpayer.objects.filter(tin_fingerprint=taxpayer.tin_fingerprint).exists():
            raise LedgerError("A taxpayer with this identification number is already on file.") from error
        raise LedgerError("The taxpayer's name does not fit its kind and identification number.") from error
    Address.objects.create(
        taxpayer=taxpayer,
        kind=address.kind,
        line1=address.line1,
        line2=address.line2,
        city=address.city,
        state=address.state,
        postal_code=address.postal_code,
        valid_from=address.valid_from,
    )
    for contact_kind, value in contacts:
        Contact.objects.create(taxpayer=taxpayer, kind=contact_kind, value=value, added_on=registered_on)
    record_event(LedgerTag.TAXPAYER_REGISTERED, actor=actor, subject=f"taxpayer:{taxpayer.pk}", extra={"kind": kind})
    return taxpayer


@transaction.atomic
def do_change_address(taxpayer: Taxpayer, address: NewAddress, *, actor: str = "") -> Address:
    """Close the current address of that kind the day before the new one starts, then add it."""
    current = Address.objects.select_for_update().filter(taxpayer=taxpayer, kind=address.kind, valid_to=None).first()
    if current is not None:
        if address.valid_from <= current.valid_from:
            raise LedgerError("A new address must start after the current one.")
        Address.objects.filter(pk=current.pk).update(valid_to=address.valid_from - dt.timedelta(days=1))
    new = Address.objects.create(taxpayer=taxpayer, **address.__dict__)
    record_event(LedgerTag.ADDRESS_CHANGED, actor=actor, subject=f"taxpayer:{taxpayer.pk}")
    return new


@transaction.atomic
def do_open_account(taxpayer: Taxpayer, account_type: AccountType, *, opened_on: dt.date) -> TaxAccount:
    account, created = TaxAccount.objects.get_or_create(
        taxpayer=taxpayer, account_type=account_type, defaults={"opened_on": opened_on}
    )
    if created:
        record_event(
            LedgerTag.ACCOUNT_OPENED, subject=f"taxpayer:{taxpayer.pk}", extra={"account_type": str(account_type)}
        )
    return account


def do_open_period(account: TaxAccount, *, start: dt.date, end: dt.date, due_date: dt.date) -> TaxPeriod:
    period, _ = TaxPeriod.objects.get_or_create(
        account=account, end=end, defaults={"start": start, "due_date": due_date}
    )
    return period


@transaction.atomic
def do_post_transaction(
    period: TaxPeriod,
    *,
    code: str,
    amount: Decimal,
    effective_date: dt.date,
    idempotency_key: str,
    action_code: str = "",
    reverses: Transaction | None = None,
    posted_on: dt.date | None = None,
    actor: str = "",
) -> Transaction:
    """Append one entry. The same key with the same content returns the first entry; with
    different content it is refused, so a retried movement never happens twice."""
    posting = Posting(code=code, day=effective_date, amount=amount, action_code=action_code)
    try:
        validate(posting)
    except ScenarioError as error:
        raise LedgerError(str(error)) from None
    if reverses is not None:
        expected = codes.lookup(code).reverses
        if reverses.period_id != period.pk or reverses.code != expected or reverses.amount != -amount:
            raise LedgerError(f"TC {code} must reverse a TC {expected} of {-amount} on the same period.")
    existing = Transaction.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_or_conflict(existing, period.pk, code, amount, effective_date, action_code)
    try:
        with transaction.atomic():
            entry = Transaction.objects.create(
                period=period,
                code=code,
                action_code=action_code,
                amount=amount,
                effective_date=effective_date,
                cycle=posting_cycle(posted_on or effective_date),
                reverses=reverses,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        existing = Transaction.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise LedgerError("That transaction has already been reversed.") from None
        return _same_or_conflict(existing, period.pk, code, amount, effective_date, action_code)
    if amount:
        record_event(
            LedgerTag.TRANSACTION_POSTED,
            actor=actor,
            subject=f"period:{period.pk}",
            extra={"transaction": entry.pk, "code": code, "amount": str(amount)},
        )
    return entry


@dataclass(frozen=True)
class NewTransaction:
    """One entry for ``do_post_transactions``; the fields mean what ``do_post_transaction``'s do."""

    period_id: int
    code: str
    amount: Decimal
    effective_date: dt.date
    idempotency_key: str
    posted_on: dt.date | None = None
    actor: str = ""


@transaction.atomic
def do_post_transactions(entries: Sequence[NewTransaction]) -> list[Transaction]:
    """Append many entries at once (a batch job's), with ``do_post_transaction``'s guarantees
    for each: validated, audited, and a key used before returns its first entry if the content
    is the same and is refused if not. The entries come back in the order given. A key another
    transaction is inserting at the same moment makes the whole call fail (IntegrityError),
    so a caller holds locks that keep its keys to itself."""
    for entry in entries:
        try:
            validate(Posting(code=entry.code, day=entry.effective_date, amount=entry.amount))
        except ScenarioError as error:
            raise LedgerError(str(error)) from None
    keys = [entry.idempotency_key for entry in entries]
    if len(set(keys)) != len(keys):
        raise LedgerError("The same idempotency key is given twice.")
    existing = {found.idempotency_key: found for found in Transaction.objects.filter(idempotency_key__in=keys)}
    for entry in entries:
        if entry.idempotency_key in existing:
            _same_or_conflict(
                existing[entry.idempotency_key], entry.period_id, entry.code, entry.amount, entry.effective_date, ""
            )
    new = [entry for entry in entries if entry.idempotency_key not in existing]
    created = insert_rows(
        [
            Transaction(
                period_id=entry.period_id,
                code=entry.code,
                amount=entry.amount,
                effective_date=entry.effective_date,
                cycle=posting_cycle(entry.posted_on or entry.effective_date),
                idempotency_key=entry.idempotency_key,
            )
            for entry in new
        ]
    )
    record_events(
        [
            NewEvent(
                LedgerTag.TRANSACTION_POSTED,
                actor=entry.actor,
                subject=f"period:{entry.period_id}",
                extra={"transaction": posted.pk, "code": entry.code, "amount": str(entry.amount)},
            )
            for entry, posted in zip(new, created, strict=True)
            if entry.amount
        ]
    )
    existing.update((posted.idempotency_key, posted) for posted in created)
    return [existing[key] for key in keys]


def _same_or_conflict(
    existing: Transaction, period_id: int, code: str, amount: Decimal, day: dt.date, action_code: str
) -> Transaction:
    same = (existing.period_id, existing.code, existing.amount, existing.effective_date, existing.action_code) == (
        period_id,
        code,
        amount,
        day,
        action_code,
    )
    if not same:
        raise IdempotencyConflictError("This idempotency key was already used for a different transaction.")
    return existing


def do_reverse_transaction(
    original: Transaction, *, effective_date: dt.date, idempotency_key: str, actor: str = ""
) -> Transaction:
    """Cancel a credit (a returned payment, withdrawn withholding) with its reversal code."""
    reversal_code = next(
        (c.code for c in codes.CODES.values() if c.reverses == original.code),
        None,
    )
    if reversal_code is None:
        raise LedgerError(f"TC {original.code} cannot be reversed; post an abatement or a new entry instead.")
    return do_post_transaction(
        original.period,
        code=reversal_code,
        amount=-original.amount,
        effective_date=effective_date,
        idempotency_key=idempotency_key,
        reverses=original,
        actor=actor,
    )


@transaction.atomic
def do_record_return(
    period: TaxPeriod,
    *,
    form: str,
    filed_on: dt.date,
    total_tax: Decimal,
    income_tax_after_credits: Decimal,
    total_payments: Decimal,
    kind: str = ReturnKind.ORIGINAL,
    **lines: Any,
) -> TaxReturn:
    """Keep a return's key lines as filed and assess its tax (TC 150; an amended return's change is TC 290 or 291)."""
    if kind == ReturnKind.ORIGINAL and TaxReturn.objects.filter(period=period, kind=ReturnKind.ORIGINAL).exists():
        raise LedgerError("This period already has an original return; file an amended return instead.")
    difference = total_tax - total_payments
    tax_return = TaxReturn.objects.create(
        period=period,
        kind=kind,
        form=form,
        filed_on=filed_on,
        total_tax=total_tax,
        income_tax_after_credits=income_tax_after_credits,
        total_payments=total_payments,
        refund=max(-difference, Decimal(0)),
        balance_due=max(difference, Decimal(0)),
        **lines,
    )
    key = f"return:{tax_return.pk}"
    if kind == ReturnKind.ORIGINAL:
        do_post_transaction(period, code="150", amount=total_tax, effective_date=filed_on, idempotency_key=key)
    else:
        do_post_transaction(
            period, code="971", action_code="013", amount=Decimal(0), effective_date=filed_on, idempotency_key=key
        )
    record_event(
        LedgerTag.RETURN_RECORDED, subject=f"period:{period.pk}", extra={"return": tax_return.pk, "kind": kind}
    )
    return tax_return


@transaction.atomic
def do_issue_notice(
    taxpayer: Taxpayer,
    *,
    kind: NoticeKind,
    issued_on: dt.date,
    period: TaxPeriod | None = None,
    amount: Decimal | None = None,
    with_letter_id: bool = False,
) -> Notice:
    """Record a notice sent; state letters get a Letter ID (retried in the rare case it is taken)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                notice = Notice.objects.create(
                    taxpayer=taxpayer,
                    period=period,
                    kind=kind,
                    issued_on=issued_on,
                    amount=amount,
                    letter_id=new_letter_id() if with_letter_id else None,
                )
            break
        except IntegrityError:
            if not with_letter_id:
                raise
    else:  # pragma: no cover - five collisions in 10^10 ids
        raise LedgerError("Could not find a free Letter ID.")
    record_event(LedgerTag.NOTICE_ISSUED, subject=f"taxpayer:{taxpayer.pk}", extra={"notice": notice.pk, "kind": kind})
    return notice
