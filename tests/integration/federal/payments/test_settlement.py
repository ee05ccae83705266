"""The settlement run in batches: a batch stopped half-way is rolled back whole and settled
once by the next run; runs that overlap, in processes of their own, settle each payment once,
and a run submits its debits only once the batches other processes hold have ended
(PostgreSQL, one connection per thread). The benchmark bench/settlement.py kills real worker
processes at a million payments."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from taxgov.common.audit.models import AuditEvent
from taxgov.common.audit.queries import verify_chain
from taxgov.federal.accounts.models import User
from taxgov.federal.payments import actions, rail, tasks
from taxgov.federal.payments.models import NachaEntry, NachaFile, Payment, PaymentStatus
from taxgov.federal.payments.rail import DemoBanks, NachaRail, payment_rail
from taxgov.federal.payments.tags import PaymentTag
from taxgov.ledger import actions as ledger
from taxgov.ledger.models import AccountType, Transaction
from tests.integration.federal.payments.test_nacha_rail import nacha_settings

on_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs a server database"
)


def due_payments(count: int) -> list[Payment]:
    """``count`` payments due today from one taxpayer, $1.00, $2.00 and so on."""
    today = timezone.localdate()
    taxpayer = ledger.do_register_taxpayer(
        kind="individual",
        tin_type="ssn",
        tin="900-01-0042",
        first_name="Sam",
        last_name="Payer",
        address=ledger.NewAddress("1 Main St", "Boston", "MA", "02110", valid_from=dt.date(2020, 1, 1)),
        registered_on=today,
    )
    account = ledger.do_open_account(taxpayer, AccountType.INDIVIDUAL_INCOME, opened_on=today)
    period = ledger.do_open_period(
        account,
        start=dt.date(today.year, 1, 1),
        end=dt.date(today.year, 12, 31),
        due_date=dt.date(today.year + 1, 4, 15),
    )
    user = User.objects.create(subject="settlement-test")
    return Payment.objects.bulk_create(
        Payment(
            taxpayer=taxpayer,
            period=period,
            reason="estimated_tax",
            amount=Decimal(number),
            pay_on=today,
            bank_account_kind="checking",
            routing_number="011000015",
            account_number="123456789",
            account_number_last4="6789",
            status=PaymentStatus.PENDING,
            idempotency_key=f"settlement-test-{number}",
            confirmation_number=f"{number:015d}",
            made_by=user,
        )
        for number in range(1, count + 1)
    )


def settled_once(payments: list[Payment]) -> None:
    """Each payment processed, with one TC 670 of its amount and one audit event of each kind."""
    ids = [payment.pk for payment in payments]
    assert Payment.objects.filter(pk__in=ids, status=PaymentStatus.PROCESSED, sent_at__isnull=False).count() == len(ids)
    postings = Transaction.objects.filter(code="670")
    assert postings.count() == len(ids)
    assert sorted(-amount for amount in postings.values_list("amount", flat=True)) == [p.amount for p in payments]
    subjects = list(AuditEvent.objects.filter(tag=PaymentTag.PROCESSED).values_list("subject", flat=True))
    assert sorted(subjects) == sorted(f"payment:{pk}" for pk in ids)
    assert AuditEvent.objects.filter(tag="ledger:transaction:posted").count() == len(ids)
    assert verify_chain().intact


@pytest.mark.django_db
def test_a_batch_stopped_half_way_is_rolled_back_whole_and_settled_once_by_the_next_run(monkeypatch):
    monkeypatch.setattr(actions, "BATCH_SIZE", 3)
    payments = due_payments(7)
    stopped = mock.Mock(side_effect=[None, SystemExit("killed")])  # the second batch, after its postings
    with mock.patch.object(actions, "record_events", side_effect=stopped), pytest.raises(SystemExit):
        actions.do_settle_payments(DemoBanks())
    assert Payment.objects.filter(status=PaymentStatus.PROCESSED).count() == 3  # the first batch stands
    assert Transaction.objects.count() == 3
    assert actions.do_settle_payments(DemoBanks()).processed == 4
    assert actions.do_settle_payments(DemoBanks()).processed == 0
    assert Transaction.objects.count() == 7
    assert sorted(Payment.objects.values_list("posted__amount", flat=True)) == [-p.amount for p in payments[::-1]]


@pytest.mark.django_db
def test_the_hourly_task_fans_out_and_the_payments_are_settled_once(monkeypatch):
    monkeypatch.setattr(actions, "BATCH_SIZE", 4)
    payments = due_payments(10)
    with mock.patch.object(tasks.settle_payment_batches, "delay", wraps=tasks.settle_payment_batches.delay) as helper:
        tasks.settle_payments()  # tasks run inline in tests: the helper settles all before the task does
    helper.assert_called_once_with(timezone.localdate().isoformat())
    settled_once(payments)


def in_threads(*work: Callable[[], object]) -> list[object]:
    """Each callable in a thread of its own, with its own database connection."""

    def run(job: Callable[[], object]) -> object:
        try:
            return job()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        return [future.result() for future in [pool.submit(run, job) for job in work]]


@pytest.fixture
def nacha_rail(tmp_path, settings) -> NachaRail:
    settings.TAXGOV_FEDERAL_PAYMENT_RAIL = "nacha"
    settings.TAXGOV_FEDERAL_NACHA = nacha_settings(tmp_path)
    built = payment_rail()
    assert isinstance(built, NachaRail)
    return built


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_overlapping_runs_settle_each_payment_once_and_send_each_debit_once(monkeypatch, nacha_rail):
    monkeypatch.setattr(actions, "BATCH_SIZE", 10)
    payments = due_payments(300)
    start = threading.Barrier(3)

    def run() -> int:
        start.wait()
        return actions.do_settle_payments(nacha_rail).processed

    assert sum(in_threads(run, run, run)) == 300  # type: ignore[arg-type]
    settled_once(payments)
    assert NachaEntry.objects.count() == NachaEntry.objects.exclude(file=None).count() == 300
    lines = [line for path in nacha_rail.outbox.glob("*.ach") for line in path.read_text().splitlines()]
    assert sum(line.startswith("6") for line in lines) == 300
    assert NachaFile.objects.filter(sent_at=None).count() == 0


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("held_batch_ends", ["committed", "rolled back"])
def test_a_run_submits_once_the_batches_held_elsewhere_have_ended(monkeypatch, nacha_rail, held_batch_ends):
    """Another process holds a batch (it is between its claim and its commit): the run settles
    the rest, waits for that batch, then submits every debit in one file. Had the batch been
    stopped, the run settles its payments too."""
    monkeypatch.setattr(actions, "BATCH_SIZE", 5)
    payments = due_payments(20)
    today = timezone.localdate()
    claimed, release = threading.Event(), threading.Event()

    def held_elsewhere() -> int:
        try:
            with transaction.atomic():
                settled = actions.do_settle_batch(nacha_rail, today, [payment.pk for payment in payments[:5]])
                claimed.set()
                release.wait(timeout=30)
                if held_batch_ends == "rolled back":
                    raise ConnectionError("the process was killed")
        except ConnectionError:
            return 0
        return settled

    def run() -> int:
        claimed.wait(timeout=30)
        result = actions.do_settle_payments(nacha_rail, today)
        assert release.is_set(), "the run went on without waiting for the batch held elsewhere"
        return result.processed

    def let_go() -> None:
        claimed.wait(timeout=30)
        threading.Event().wait(1.0)  # the run settles the rest, then waits on the held rows
        release.set()

    held, by_run, _ = in_threads(held_elsewhere, run, let_go)
    assert (held, by_run) == ((5, 15) if held_batch_ends == "committed" else (0, 20))
    settled_once(payments)
    [file] = NachaFile.objects.all()
    assert file.entries.count() == 20


@pytest.mark.django_db
def test_more_debits_than_a_file_holds_go_out_in_several_files_each_once(monkeypatch, nacha_rail):
    monkeypatch.setattr(rail, "ENTRIES_PER_FILE", 2)
    due_payments(5)
    actions.do_settle_payments(nacha_rail)
    files = sorted(nacha_rail.outbox.glob("*.ach"))
    assert [path.name[-5] for path in files] == ["A", "B", "C"]
    traces = [line[79:94] for path in files for line in path.read_text().splitlines() if line.startswith("6")]
    assert sorted(traces) == sorted(NachaEntry.objects.values_list("trace_number", flat=True))
    assert len(set(traces)) == 5
