"""The NACHA format: fields, a debit file's blocks, and reading return files (each error names
its line, never what a field holds)."""

from __future__ import annotations

import datetime as dt

import pytest

from taxgov.federal.payments import nacha

ACCOUNT = "123456789"
CREATED = dt.datetime(2026, 11, 22, 9, 5, tzinfo=dt.UTC)
EFFECTIVE = dt.date(2026, 11, 23)
ORIGINATOR = nacha.Originator(
    immediate_destination=" 011000015",
    immediate_destination_name="Test ODFI",
    immediate_origin="9876543210",
    company_id="9876543210",
    company_name="Revenue Service",
    odfi_routing="011000015",
    entry_description="TAX PYMT",
)


def record(*fields: str) -> str:
    line = "".join(fields)
    assert len(line) == 94, len(line)
    return line


def entry(transaction_code: str, cents: int, individual_id: str, trace: str) -> str:
    return record(
        "6", transaction_code, "011000015", ACCOUNT.ljust(17), f"{cents:010d}", individual_id.ljust(15),
        "ALEX RIVERA".ljust(22), "  ", "1", trace,
    )  # fmt: skip


def return_file(*returns: tuple[str, str, str, int], notices_of_change: int = 0) -> str:
    """A file of returns as an ODFI would send it, built field by field. Each return is the
    original trace number, the reason code, the individual ID and the amount in cents; a COR
    batch of notifications of change (addenda type 98, not returns) follows if asked for."""
    batches: list[tuple[str, list[str]]] = []
    if returns:
        records = []
        for number, (original_trace, code, individual_id, cents) in enumerate(returns, 1):
            trace = f"02100002{number:07d}"
            records += [
                entry("26", cents, individual_id, trace),
                record("7", "99", code, original_trace, " " * 6, "02100002", " " * 44, trace),
            ]
        batches.append(("WEB", records))
    if notices_of_change:
        records = []
        for number in range(1, notices_of_change + 1):
            trace = f"02100003{number:07d}"
            records += [
                entry("26", 0, "", trace),
                record(
                    "7", "98", "C01", "011000010000001", " " * 6, "02100002", "987654321".ljust(29), " " * 15, trace
                ),
            ]
        batches.append(("COR", records))
    lines = [record("1", "01", " 011000015", " 021000021", "2611220905", "A", "094", "10", "1", " " * 54)]
    count = entry_hash = total = 0
    for number, (sec, records) in enumerate(batches, 1):
        entries = [line for line in records if line[0] == "6"]
        batch_hash = sum(int(line[3:11]) for line in entries)
        amount = sum(int(line[29:39]) for line in entries)
        lines += [
            record(
                "5", "200", "REVENUE SERVICE ", " " * 20, "9876543210", sec, "TAX PYMT  ", " " * 6, "261122",
                "   ", "1", "02100002", f"{number:07d}",
            ),
            *records,
            # A returned debit is a credit to the originator; the reader checks only the sum.
            record(
                "8", "200", f"{len(records):06d}", f"{batch_hash:010d}", "0" * 12, f"{amount:012d}", "9876543210",
                " " * 25, "02100002", f"{number:07d}",
            ),
        ]  # fmt: skip
        count, entry_hash, total = count + len(records), entry_hash + batch_hash, total + amount
    lines.append(
        record(
            "9", f"{len(batches):06d}", f"{len(lines) // 10 + 1:06d}", f"{count:08d}", f"{entry_hash:010d}",
            "0" * 12, f"{total:012d}", " " * 39,
        )
    )  # fmt: skip
    lines += ["9" * 94] * (-len(lines) % 10)
    return "\n".join(lines) + "\n"


def test_alphanumeric_fields_are_ascii_upper_case_and_fit_their_width():
    assert nacha.alphanumeric("Zoë Muñoz-Pérez", 10) == "ZOE MUNOZ-"
    assert nacha.alphanumeric("Ann\tLee", 10) == "ANN LEE   "
    assert nacha.numeric(42, 5) == "00042"
    with pytest.raises(ValueError, match="does not fit"):
        nacha.numeric(123456, 5)


def debits(count: int) -> list[nacha.Debit]:
    return [
        nacha.Debit(
            account_kind="checking",
            routing_number="011000015",
            account_number=ACCOUNT,
            amount_cents=100 * number,
            individual_id=f"{number:015d}",
            individual_name="Alex Rivera",
            trace_number=f"01100001{number:07d}",
        )
        for number in range(count, 0, -1)
    ]


@pytest.mark.parametrize(("entries", "lines", "blocks"), [(6, 10, 1), (7, 20, 2), (1, 10, 1)])
def test_a_debit_file_fills_its_last_block_with_nines(entries, lines, blocks):
    text = nacha.debit_file(ORIGINATOR, debits(entries), created_at=CREATED, modifier="A", effective_date=EFFECTIVE)
    records = text.splitlines()
    assert len(records) == lines
    assert all(len(line) == 94 for line in records)
    control = next(line for line in records if line[0] == "9" and line != "9" * 94)
    assert int(control[7:13]) == blocks
    assert all(line == "9" * 94 for line in records[records.index(control) + 1 :])
    traces = [line[79:94] for line in records if line[0] == "6"]
    assert traces == sorted(traces)
    assert nacha.read_returns(text) == []  # our own reader finds it whole


def test_an_account_too_long_for_the_record_is_refused_not_cut():
    long = [nacha.Debit("checking", "011000015", "1" * 18, 100, "1", "A", "011000010000001")]
    with pytest.raises(ValueError, match="does not fit") as error:
        nacha.debit_file(ORIGINATOR, long, created_at=CREATED, modifier="A", effective_date=EFFECTIVE)
    assert "1" * 18 not in str(error.value)


def test_returns_are_read_and_notifications_of_change_are_not_returns():
    text = return_file(
        ("011000010000007", "R01", "123456789012345", 15000), ("011000010000009", "R24", "", 2000), notices_of_change=1
    )
    assert nacha.read_returns(text) == [
        nacha.Return("011000010000007", "R01", individual_id="123456789012345", amount_cents=15000),
        nacha.Return("011000010000009", "R24", individual_id="", amount_cents=2000),
    ]


def replace_line(text: str, number: int, new: str) -> str:
    lines = text.splitlines()
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


GOOD = return_file(("011000010000007", "R01", "123456789012345", 15000))
LINES = GOOD.splitlines()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "line 1: expected a file header"),
        (replace_line(GOOD, 3, LINES[2][:93]), "line 3 has 93 characters, not 94"),
        (replace_line(GOOD, 3, LINES[2][:30] + "X" + LINES[2][31:]), "line 3: positions 30-39 must be digits"),
        (replace_line(GOOD, 5, LINES[4][:10] + "0000000001" + LINES[4][20:]), "line 5: the entry hash does not match"),
        (replace_line(GOOD, 5, LINES[4][:4] + "000003" + LINES[4][10:]), "line 5: the entry and addenda count"),
        (replace_line(GOOD, 6, LINES[5][:1] + "000002" + LINES[5][7:]), "line 6: the batch count does not match"),
        (replace_line(GOOD, 6, LINES[5][:43] + "000000015001" + LINES[5][55:]), "line 6: the total amount"),
        (replace_line(GOOD, 5, LINES[1]), "line 5: expected a batch control"),
        (replace_line(GOOD, 3, LINES[2][:78] + "0" + LINES[2][79:]), "line 3: the addenda indicator"),
        (replace_line(GOOD, 7, LINES[2]), "line 7: only records of nines may follow the file control"),
        ("\n".join(LINES[:5]) + "\n", "line 6: expected a batch header or the file control"),
    ],
)
def test_a_malformed_return_file_is_refused_naming_the_line(text, problem):
    with pytest.raises(nacha.NachaError, match=problem) as error:
        nacha.read_returns(text)
    assert ACCOUNT not in str(error.value)


def test_carriage_returns_and_a_file_without_its_last_block_are_read():
    lines = GOOD.splitlines()
    unpadded = "\r\n".join(line for line in lines if line != "9" * 94) + "\r\n"
    assert len(nacha.read_returns(unpadded)) == 1
