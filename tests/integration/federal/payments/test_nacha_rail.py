"""The nacha rail: a settlement run leaves one complete NACHA file of WEB debits in the outbox
(read back field by field here), a payment is in it once however often it is sent or the run
is stopped, the ODFI's returns come back as returned payments with their reason, and a
malformed return file is reported and set aside while the job goes on."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from taxgov.common.audit.models import AuditEvent
from taxgov.federal.payments import actions, nacha
from taxgov.federal.payments.models import NachaEntry, NachaFile, Payment, PaymentStatus
from taxgov.federal.payments.rail import NachaRail, payment_rail
from taxgov.ledger.models import Transaction
from tests.integration.federal.payments.test_payments import form, submit
from tests.integration.federal.test_account import with_profile
from tests.unit.federal.payments.test_nacha import return_file

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[4]


def nacha_settings(tmp_path: Path, **changes: str) -> dict[str, str]:
    for folder in ("outbox", "inbox"):
        (tmp_path / folder).mkdir(exist_ok=True)
    return {
        "outbox": str(tmp_path / "outbox"),
        "inbox": str(tmp_path / "inbox"),
        "immediate_destination": "011000015",
        "immediate_destination_name": "Test ODFI",
        "immediate_origin": "9876543210",
        "company_id": "9876543210",
        "company_name": "Revenue Service",
        "odfi_routing": "011000015",
        "entry_description": "TAX PYMT",
        **changes,
    }


@pytest.fixture
def rail(tmp_path, settings):
    settings.TAXGOV_FEDERAL_PAYMENT_RAIL = "nacha"
    settings.TAXGOV_FEDERAL_NACHA = nacha_settings(tmp_path)
    built = payment_rail()
    assert isinstance(built, NachaRail)
    return built


@pytest.fixture
def alex(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "alex", on=client)
    return personas["alex"]


def sent_files(rail: NachaRail) -> list[Path]:
    return sorted(rail.outbox.glob("*.ach"))


def test_a_settlement_run_writes_one_complete_file(client, alex, rail, caplog):
    caplog.set_level(logging.DEBUG)
    submit(client, form(client))
    submit(
        client,
        form(
            client,
            amount="20.00",
            bank_account_kind="savings",
            routing_number="021000021",
            account_number="987654321",
            account_number_confirmation="987654321",
        ),
    )
    checking, savings = Payment.objects.order_by("-amount")
    actions.do_settle_payments(rail)

    [path] = sent_files(rail)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not any((rail.outbox / ".staging").iterdir())
    text = path.read_text(encoding="ascii")
    lines = text.split("\n")
    assert lines.pop() == ""
    assert all(len(line) == 94 for line in lines)
    assert len(lines) == 10
    today = timezone.localdate().strftime("%y%m%d")

    header, batch, first, second, batch_control, file_control, *filler = lines
    assert header[:3] == "101"
    assert header[3:23] == " 0110000159876543210"
    assert header[23:29] == today
    assert header[33:40] == "A094101"
    assert header[40:86] == "TEST ODFI".ljust(23) + "REVENUE SERVICE".ljust(23)

    assert batch[:4] == "5225"  # debits only
    assert batch[4:20] == "REVENUE SERVICE "
    assert batch[40:63] == "9876543210WEBTAX PYMT  "
    assert batch[69:75] == today
    assert batch[78] == "2"  # a Federal Government originator
    assert batch[79:94] == "011000010000001"

    name = checking.taxpayer.display_name.upper()
    assert first[79:94] < second[79:94]  # ascending trace numbers
    by_trace = {line[79:94]: line for line in (first, second)}
    for code, routing, account, cents, payment in [
        ("27", "011000015", "123456789", 15000, checking),
        ("37", "021000021", "987654321", 2000, savings),
    ]:
        line = by_trace[f"01100001{payment.pk:07d}"]
        assert line[:3] == "6" + code
        assert line[3:12] == routing
        assert line[12:29] == account.ljust(17)
        assert int(line[29:39]) == cents
        assert line[39:54] == payment.confirmation_number
        assert line[54:76] == name[:22].ljust(22)
        assert line[76:79] == "  0"

    assert batch_control[:10] == "8225000002"
    assert int(batch_control[10:20]) == 1100001 + 2100002  # the RDFIs' 8 digits, added
    assert int(batch_control[20:32]) == 17000
    assert int(batch_control[32:44]) == 0
    assert batch_control[44:54] == "9876543210"
    assert batch_control[79:94] == "011000010000001"

    assert file_control[:21] == "9000001000001" + "00000002"  # 1 batch, 1 block, 2 entries
    assert file_control[21:55] == batch_control[10:44]
    assert file_control[55:] == " " * 39
    assert filler == ["9" * 94] * 4
    assert nacha.read_returns(text) == []

    event = AuditEvent.objects.get(tag="federal:payment_file:sent")
    assert event.extra == {"name": path.name, "entries": 2, "total": "170.00"}
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert path.name in logged
    for secret in ("123456789", "987654321", "021000021", name):
        assert secret not in logged
        assert secret not in str(event.extra)


def test_a_payment_sent_twice_is_one_entry_in_one_file(client, alex, rail):
    submit(client, form(client))
    payment = Payment.objects.get()
    rail.send_debits([payment])
    rail.send_debits([payment])
    actions.do_settle_payments(rail)
    actions.do_settle_payments(rail)
    rail.send_debits([payment])
    rail.submit(timezone.localdate())
    [path] = sent_files(rail)
    assert [line[0] for line in path.read_text().splitlines()].count("6") == 1
    assert NachaEntry.objects.count() == NachaFile.objects.count() == 1


def test_a_run_stopped_while_writing_or_moving_the_file_sends_it_once_later(client, alex, rail):
    submit(client, form(client))
    with (
        mock.patch("taxgov.federal.payments.rail._write_once", side_effect=OSError("disk full")),
        pytest.raises(OSError, match="disk full"),
    ):
        actions.do_settle_payments(rail)
    assert Payment.objects.get().status == PaymentStatus.PROCESSED  # queued with its posting
    assert not sent_files(rail)

    with (
        mock.patch("taxgov.federal.payments.rail.os.rename", side_effect=OSError("gone")),
        pytest.raises(OSError, match="gone"),
    ):
        actions.do_settle_payments(rail)
    assert NachaFile.objects.get().staged
    assert not sent_files(rail)

    actions.do_settle_payments(rail)
    [path] = sent_files(rail)
    content = path.read_text()
    # Stopped after the move, before it was marked sent: the next run finds it gone and only marks it.
    NachaFile.objects.update(sent_at=None)
    actions.do_settle_payments(rail)
    assert sent_files(rail) == [path]
    assert path.read_text() == content
    assert NachaFile.objects.get().sent_at is not None
    assert AuditEvent.objects.filter(tag="federal:payment_file:sent").count() == 2  # marked sent twice, written once


def drop_return(rail: NachaRail, name: str, content: str | bytes, *, age: float = 120) -> Path:
    path = rail.inbox / name
    path.write_bytes(content.encode("ascii") if isinstance(content, str) else content)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


@pytest.mark.parametrize(
    ("code", "reason", "shown"),
    [
        ("R01", "R01", "Insufficient funds (R01)"),
        ("R09", "R01", "Insufficient funds (R01)"),
        ("R31", "OTH", "Reason: Another reason given by the bank. The amount"),
        ("R24", "ORG", "This was not your fault, so no penalty was added."),
    ],
)
def test_a_return_file_returns_the_payment_with_its_reason(client, alex, rail, code, reason, shown):
    submit(client, form(client, amount="100.00"))
    actions.do_settle_payments(rail)
    payment = Payment.objects.get()
    text = return_file((rail.trace_number(payment), code, payment.confirmation_number, 10000))

    arriving = drop_return(rail, "returns.ach", text, age=0)
    assert actions.do_settle_payments(rail).returned == 0  # still being written, perhaps
    assert arriving.exists()

    os.utime(arriving, (time.time() - 120, time.time() - 120))
    assert actions.do_settle_payments(rail).returned == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.RETURNED
    assert payment.return_reason == reason
    assert payment.reversal.code == "671"
    # A duplicate entry (R24) is the originator's fault: the taxpayer paid in good faith.
    assert (payment.penalty.code if payment.penalty else None) == (None if code == "R24" else "280")
    assert NachaEntry.objects.get().return_code == code
    assert not arriving.exists()
    assert (rail.inbox / "processed" / "returns.ach").exists()
    assert shown in client.get(reverse("payments:detail", args=[payment.public_id])).content.decode()

    drop_return(rail, "returns.ach", text)  # the same file again
    actions.do_settle_payments(rail)
    penalties = Transaction.objects.filter(idempotency_key__startswith="federal-payment-penalty:").count()
    assert penalties == (0 if code == "R24" else 1)
    assert (rail.inbox / "processed").stat().st_mode & 0o077 == 0


def test_a_malformed_return_file_is_reported_and_the_job_goes_on(client, alex, rail, caplog):
    submit(client, form(client))
    actions.do_settle_payments(rail)
    payment = Payment.objects.get()
    good = return_file((rail.trace_number(payment), "R02", payment.confirmation_number, 15000))
    drop_return(rail, "a-truncated.ach", "\n".join(good.splitlines()[:4]) + "\n")
    drop_return(rail, "b-binary.ach", b"\xff\xfe" * 47)
    drop_return(rail, "c-returns.ach", good)

    result = actions.do_settle_payments(rail)

    assert result.returned == 1
    assert Payment.objects.get().return_reason == "R02"
    assert sorted(path.name for path in (rail.inbox / "rejected").iterdir()) == ["a-truncated.ach", "b-binary.ach"]
    errors = [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]
    assert errors == [
        "Return file a-truncated.ach is malformed (line 5: expected a batch control): moved to rejected/",
        "Return file b-binary.ach is malformed (not ASCII text): moved to rejected/",
    ]
    rejected = AuditEvent.objects.filter(tag="federal:payment_file:rejected").order_by("sequence")
    assert [event.subject for event in rejected] == [
        "nacha_return_file:a-truncated.ach",
        "nacha_return_file:b-binary.ach",
    ]


def test_a_return_matching_no_debit_is_counted_not_guessed(client, alex, rail, caplog):
    drop_return(rail, "returns.ach", return_file(("011000019999999", "R01", "000000000000000", 500)))
    actions.do_settle_payments(rail)
    event = AuditEvent.objects.get(tag="federal:payment_file:returns_read")
    assert event.extra == {"returns": 1, "unmatched": 1}
    assert "1 of the 1 returns in returns.ach match no debit sent" in caplog.text


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"odfi_routing": "011000016"}, "ODFI_ROUTING is not a valid routing number"),
        ({"company_name": "A name much too long"}, "COMPANY_NAME must be 1 to 16 characters"),
        ({"immediate_origin": "12345"}, "IMMEDIATE_ORIGIN must be a 9-digit routing number or 10 characters"),
        ({"outbox": "/nonexistent/outbox"}, "OUTBOX must be an existing folder"),
    ],
)
def test_settings_that_cannot_be_right_are_refused(tmp_path, changes, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        NachaRail.from_settings(nacha_settings(tmp_path, **changes))


def test_the_nacha_rail_without_its_settings_refuses_to_start(tmp_path):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TAXGOV_")}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment |= {
        "TAXGOV_ENV": "test",
        "TAXGOV_DATA_DIR": str(tmp_path),
        "TAXGOV_FEDERAL_PAYMENT_RAIL": "nacha",
        "TAXGOV_FEDERAL_NACHA_OUTBOX": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.federal"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: The nacha payment rail needs TAXGOV_FEDERAL_NACHA_INBOX, " in result.stderr
    assert "NACHA_OUTBOX" not in result.stderr
