"""Writes to the ledger: validated, audited, idempotent, and impossible to change afterwards."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from taxgov.common.audit.models import AuditEvent
from taxgov.common.audit.queries import verify_chain
from taxgov.common.db import AppendOnlyError
from taxgov.ledger import actions
from taxgov.ledger.actions import LedgerError, NewAddress
from taxgov.ledger.models import AccountType, Notice, NoticeKind, Taxpayer, TaxReturn, Transaction
from taxgov.ledger.tags import LedgerTag

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 4, 15)


def register(tin: str = "900-01-0001", **names: str) -> Taxpayer:
    return actions.do_register_taxpayer(
        kind="individual",
        tin_type="ssn",
        tin=tin,
        first_name=names.get("first_name", "Alex"),
        last_name=names.get("last_name", "Rivera"),
        date_of_birth=dt.date(1980, 5, 17),
        address=NewAddress("12 Elm Street", "Worcester", "MA", "01609", valid_from=dt.date(2019, 1, 1)),
        contacts=(("mobile", "+16175550123"), ("email", "alex@example.com")),
        registered_on=DAY,
    )


def a_period():
    taxpayer = register()
    account = actions.do_open_account(taxpayer, AccountType.INDIVIDUAL_INCOME, opened_on=DAY)
    return actions.do_open_period(account, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), due_date=DAY)


def test_personal_data_is_encrypted_at_rest_and_found_by_fingerprint():
    taxpayer = register()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tin, date_of_birth FROM ledger_taxpayer WHERE id = %s", [taxpayer.pk])
        tin, dob = cursor.fetchone()
        cursor.execute("SELECT line1 FROM ledger_address WHERE taxpayer_id = %s", [taxpayer.pk])
        (line1,) = cursor.fetchone()
        cursor.execute("SELECT value FROM ledger_contact WHERE taxpayer_id = %s", [taxpayer.pk])
        contacts = [row[0] for row in cursor.fetchall()]
    # Whole values only: a few characters of them can turn up by chance in the base64.
    for stored in (tin, dob, line1, *contacts):
        assert stored.startswith("pii1.")
        for plain in ("900010001", "1980-05-17", "Elm St", "+16175550123", "alex@example.com"):
            assert plain not in stored
    found = Taxpayer.objects.get(tin_fingerprint=actions.tin_fingerprint("900010001"))
    assert found.tin == "900010001"
    assert found.date_of_birth == "1980-05-17"


def test_a_tin_already_on_file_is_refused_and_nothing_is_written():
    register()
    with pytest.raises(LedgerError, match="already on file"):
        register(first_name="Someone", last_name="Else")
    assert Taxpayer.objects.count() == 1


def test_a_malformed_tin_is_refused():
    with pytest.raises(LedgerError, match="9 digits"):
        register(tin="12-34")


def test_a_business_keeps_its_responsible_party_as_a_fingerprint_only():
    business = actions.do_register_taxpayer(
        kind="business",
        tin_type="ein",
        tin="00-1234567",
        name="Elm Street Books LLC",
        responsible_party_tin="900-01-0001",
        address=NewAddress("12 Elm Street", "Worcester", "MA", "01609", valid_from=DAY),
        registered_on=DAY,
    )
    assert business.responsible_party_fingerprint == register().tin_fingerprint
    with pytest.raises(LedgerError, match="9 digits"):
        actions.do_register_taxpayer(
            kind="business",
            tin_type="ein",
            tin="00-1234568",
            name="Elm Street Books LLC",
            responsible_party_tin="900-01",
            address=NewAddress("12 Elm Street", "Worcester", "MA", "01609", valid_from=DAY),
            registered_on=DAY,
        )


def test_registration_is_audited_without_personal_data():
    taxpayer = register()
    event = AuditEvent.objects.get(tag=LedgerTag.TAXPAYER_REGISTERED)
    assert event.subject == f"taxpayer:{taxpayer.pk}"
    assert "900" not in str(event.extra)
    assert "Rivera" not in str(event.extra)


def test_posting_is_idempotent_and_a_reused_key_with_other_content_is_refused():
    period = a_period()
    first = actions.do_post_transaction(
        period, code="670", amount=Decimal("-100.00"), effective_date=DAY, idempotency_key="pay-1"
    )
    again = actions.do_post_transaction(
        period, code="670", amount=Decimal("-100.00"), effective_date=DAY, idempotency_key="pay-1"
    )
    assert again.pk == first.pk
    assert Transaction.objects.count() == 1
    with pytest.raises(actions.IdempotencyConflictError):
        actions.do_post_transaction(
            period, code="670", amount=Decimal("-200.00"), effective_date=DAY, idempotency_key="pay-1"
        )
    assert AuditEvent.objects.filter(tag=LedgerTag.TRANSACTION_POSTED).count() == 1


def test_posting_many_at_once_is_in_order_idempotent_and_audited_per_entry():
    period = a_period()
    earlier = actions.do_post_transaction(
        period, code="670", amount=Decimal("-100.00"), effective_date=DAY, idempotency_key="pay-1"
    )
    entries = [
        actions.NewTransaction(period.pk, "670", Decimal(f"-{n}.00"), DAY, f"pay-{n}", actor=f"payment:{n}")
        for n in (100, 2, 3)
    ]
    entries[0] = actions.NewTransaction(period.pk, "670", Decimal("-100.00"), DAY, "pay-1")  # posted before

    posted = actions.do_post_transactions(entries)

    assert [entry.idempotency_key for entry in posted] == ["pay-1", "pay-2", "pay-3"]
    assert posted[0].pk == earlier.pk
    assert actions.do_post_transactions(entries) == posted
    assert Transaction.objects.count() == 3
    events = AuditEvent.objects.filter(tag=LedgerTag.TRANSACTION_POSTED).order_by("sequence")
    assert [(event.actor, event.extra["transaction"]) for event in events] == [
        ("", earlier.pk),
        ("payment:2", posted[1].pk),
        ("payment:3", posted[2].pk),
    ]
    assert verify_chain().intact


@pytest.mark.parametrize(
    ("entry", "error", "message"),
    [
        (actions.NewTransaction(0, "670", Decimal("-200.00"), DAY, "pay-1"), actions.IdempotencyConflictError, "key"),
        (actions.NewTransaction(0, "670", Decimal("5.00"), DAY, "pay-5"), LedgerError, "negative amount"),
        (actions.NewTransaction(0, "670", Decimal("-5.00"), DAY, "pay-2"), LedgerError, "given twice"),
    ],
)
def test_posting_many_at_once_with_one_bad_entry_posts_none(entry, error, message):
    period = a_period()
    actions.do_post_transaction(
        period, code="670", amount=Decimal("-100.00"), effective_date=DAY, idempotency_key="pay-1"
    )
    good = actions.NewTransaction(period.pk, "670", Decimal("-5.00"), DAY, "pay-2")
    with pytest.raises(error, match=message):
        actions.do_post_transactions([good, dataclasses.replace(entry, period_id=period.pk)])
    assert Transaction.objects.count() == 1


@pytest.mark.parametrize(
    ("code", "amount", "message"),
    [
        ("670", Decimal("100.00"), "negative amount"),
        ("150", Decimal("-1.00"), "zero or a positive"),
        ("971", Decimal("5.00"), "no amount"),
        ("999", Decimal("1.00"), "Unknown transaction code"),
        ("670", Decimal("-1.005"), "whole cents"),
    ],
)
def test_bad_postings_are_refused_and_change_nothing(code, amount, message):
    period = a_period()
    with pytest.raises(LedgerError, match=message):
        actions.do_post_transaction(period, code=code, amount=amount, effective_date=DAY, idempotency_key="k")
    assert not Transaction.objects.exists()


def test_transactions_cannot_be_changed_or_deleted_by_the_orm_or_by_sql():
    period = a_period()
    entry = actions.do_post_transaction(
        period, code="670", amount=Decimal("-100.00"), effective_date=DAY, idempotency_key="pay-1"
    )
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    for statement in ("UPDATE ledger_transaction SET amount = 0", "DELETE FROM ledger_transaction"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert Transaction.objects.get().amount == Decimal("-100.00")


def test_the_database_keeps_money_in_whole_cents_even_past_the_application():
    """SQLite stores what it is given, so a check constraint refuses it; PostgreSQL's numeric(14,2) keeps two places."""
    period = a_period()
    insert = (
        "INSERT INTO ledger_transaction (period_id, code, action_code, amount, effective_date, cycle, posted_at,"
        " idempotency_key) VALUES (%s, '670', '', %s, %s, '20241501', %s, 'raw')"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            with pytest.raises(IntegrityError), transaction.atomic():
                cursor.execute(insert, [period.pk, -1.005, DAY, dt.datetime(2024, 4, 15, tzinfo=dt.UTC)])
        else:
            cursor.execute(insert, [period.pk, Decimal("-1.005"), DAY, dt.datetime(2024, 4, 15, tzinfo=dt.UTC)])
            cursor.execute("SELECT scale(amount) FROM ledger_transaction WHERE idempotency_key = 'raw'")
            assert cursor.fetchone()[0] == 2


def test_a_reversal_links_to_what_it_reverses_and_only_once():
    period = a_period()
    payment = actions.do_post_transaction(
        period, code="670", amount=Decimal("-100.00"), effective_date=DAY, idempotency_key="pay-1"
    )
    reversal = actions.do_reverse_transaction(payment, effective_date=DAY + dt.timedelta(days=5), idempotency_key="r-1")
    assert reversal.code == "671"
    assert reversal.amount == Decimal("100.00")
    assert reversal.reverses_id == payment.pk
    with pytest.raises(LedgerError, match="already been reversed"):
        actions.do_reverse_transaction(payment, effective_date=DAY + dt.timedelta(days=6), idempotency_key="r-2")


def test_only_credits_can_be_reversed():
    period = a_period()
    tax = actions.do_post_transaction(
        period, code="150", amount=Decimal("10.00"), effective_date=DAY, idempotency_key="t"
    )
    with pytest.raises(LedgerError, match="cannot be reversed"):
        actions.do_reverse_transaction(tax, effective_date=DAY, idempotency_key="r")


def test_an_original_return_assesses_its_tax_and_a_second_original_is_refused():
    period = a_period()
    filed = actions.do_record_return(
        period,
        form="1040",
        filed_on=DAY,
        total_tax=Decimal("5000.00"),
        income_tax_after_credits=Decimal("5000.00"),
        total_payments=Decimal("5600.00"),
        adjusted_gross_income=Decimal("61000.00"),
    )
    assert filed.refund == Decimal("600.00")
    assert filed.balance_due == 0
    assert Transaction.objects.get(code="150").amount == Decimal("5000.00")
    with pytest.raises(LedgerError, match="already has an original"):
        actions.do_record_return(
            period,
            form="1040",
            filed_on=DAY,
            total_tax=Decimal("1.00"),
            income_tax_after_credits=Decimal("1.00"),
            total_payments=Decimal("0.00"),
        )
    assert TaxReturn.objects.count() == 1


def test_state_letters_get_unique_letter_ids_in_the_published_format():
    taxpayer = register()
    ids = {
        actions.do_issue_notice(
            taxpayer, kind=NoticeKind.STATE_ASSESSMENT, issued_on=DAY, with_letter_id=True
        ).letter_id
        for _ in range(20)
    }
    assert len(ids) == 20
    assert all(len(i) == 11 and i[0] == "L" and i[1:].isdigit() for i in ids)
    federal = actions.do_issue_notice(taxpayer, kind=NoticeKind.BALANCE_DUE, issued_on=DAY, amount=Decimal("10.00"))
    assert federal.letter_id is None
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(taxpayer=taxpayer, kind=NoticeKind.STATE_ASSESSMENT, issued_on=DAY, letter_id="X123")


def test_address_history_keeps_one_current_address():
    taxpayer = register()
    actions.do_change_address(
        taxpayer, NewAddress("9 Oak Road", "Boston", "MA", "02118", valid_from=dt.date(2024, 6, 1))
    )
    addresses = list(taxpayer.addresses.order_by("valid_from"))
    assert addresses[0].valid_to == dt.date(2024, 5, 31)
    assert addresses[1].valid_to is None
    with pytest.raises(LedgerError):
        actions.do_change_address(
            taxpayer, NewAddress("1 Pine", "Salem", "MA", "01970", valid_from=dt.date(2024, 1, 1))
        )
