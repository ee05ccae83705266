"""The settlement run under faults, on real task workers (PostgreSQL, a private Redis as the
broker, the NACHA rail): the workers are killed with -9 while they settle, batches that were
in flight roll back whole, and the next run settles the rest: every payment debited, posted,
audited and filed exactly once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from taxgov.common.audit.models import AuditEvent
from taxgov.federal.payments.models import NachaEntry, NachaFile, Payment, PaymentStatus
from taxgov.federal.payments.tags import PaymentTag
from taxgov.ledger.models import Transaction
from tests.integration.federal.payments.test_nacha_rail import nacha_settings
from tests.integration.federal.payments.test_settlement import due_payments, settled_once
from tests.resilience.services import (
    CeleryWorker,
    PrivateRedis,
    deployable_environment,
    private_redis,
    shared_database_url,
    wait_for,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="several processes share one database: PostgreSQL"),
]
PAYMENTS = 20_000
SETTLE = "taxgov.federal.payments.tasks.settle_payments"


@pytest.fixture
def broker() -> Iterator[PrivateRedis]:
    with private_redis() as server:
        yield server


@pytest.fixture
def worker(tmp_path: Path, broker: PrivateRedis) -> Iterator[CeleryWorker]:
    environment = deployable_environment("federal", shared_database_url(), broker.url, tmp_path, eager_tasks=False)
    environment["TAXGOV_FEDERAL_PAYMENT_RAIL"] = "nacha"
    environment.update(
        {f"TAXGOV_FEDERAL_NACHA_{name.upper()}": value for name, value in nacha_settings(tmp_path).items()}
    )
    started = CeleryWorker(environment, tmp_path / "worker.log", deployable="federal")
    started.start()
    try:
        yield started
    finally:
        started.stop()


def processed() -> int:
    return Payment.objects.filter(status=PaymentStatus.PROCESSED).count()


def waiting_on_a_lock(but: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> %s", [but])
        return bool(cursor.fetchone()[0])


def test_task_workers_killed_mid_settlement_leave_each_payment_settled_once(worker, tmp_path):
    payments = due_payments(PAYMENTS)
    worker.call(SETTLE)
    wait_for(lambda: processed() >= 2_000, timeout=120, what="the first batches")
    # Stop the next batches inside their transactions, once they have claimed their payments
    # and posted them, at the audit chain (the last write of a batch); then kill the workers.
    blocker = psycopg.connect(shared_database_url())
    blocker.execute(f"LOCK TABLE {AuditEvent._meta.db_table} IN ACCESS EXCLUSIVE MODE")
    wait_for(
        lambda: waiting_on_a_lock(but=blocker.info.backend_pid), timeout=30, what="a batch to reach the audit chain"
    )
    time.sleep(0.5)  # the other task process reaches it too, or is between batches
    worker.kill()
    blocker.rollback()
    blocker.close()

    settled = Payment.objects.filter(status=PaymentStatus.PROCESSED)
    assert 2_000 <= settled.count() < PAYMENTS, worker.tail()
    # What committed is whole, and nothing of the batches in flight is left.
    assert Transaction.objects.filter(code="670").count() == settled.count()
    assert AuditEvent.objects.filter(tag=PaymentTag.PROCESSED).count() == settled.count()
    assert NachaEntry.objects.count() == settled.count()
    assert not NachaFile.objects.exists()  # the debits are filed once the run has settled them all

    worker.start()  # the worker comes back, and the next hourly run finishes the job
    worker.call(SETTLE)
    wait_for(lambda: NachaFile.objects.filter(sent_at__isnull=False).exists(), timeout=300, what="the next run")
    settled_once(payments)
    assert NachaEntry.objects.count() == NachaEntry.objects.exclude(file=None).count() == PAYMENTS
    lines = [line for path in (tmp_path / "outbox").glob("*.ach") for line in path.read_text().splitlines()]
    traces = [line[79:94] for line in lines if line.startswith("6")]
    assert len(traces) == len(set(traces)) == PAYMENTS
