"""Records and Status: each year's return and information returns, a document's boxes, the five
transcripts read back from their PDFs (masking, codes, amounts, availability, the 85-document
cap), refund status with amended returns, audit status by mail, and a business's records and
transcripts by tax period for its Designated Officials and Users."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import formats, timezone
from pypdf import PdfReader

from taxgov.common.audit.models import AuditEvent
from taxgov.federal.business.models import BusinessRole, RoleKind
from taxgov.federal.profile.models import Profile
from taxgov.federal.records import queries, status
from taxgov.federal.records.transcripts import (
    CustomerFileNumberError,
    TranscriptKind,
    TranscriptUnavailableError,
    available_years,
    render_transcript,
)
from taxgov.ledger import actions as ledger
from taxgov.ledger.actions import NewAddress
from taxgov.ledger.agencies import due_date
from taxgov.ledger.identifiers import tin_fingerprint
from taxgov.ledger.models import AccountType, InformationReturn, ReturnKind, Taxpayer, TaxPeriod, TaxReturn
from taxgov.ledger.queries import current_address
from taxgov.ledger.templatetags.ledger import money
from tests.integration.federal.business.test_business import act_for
from tests.integration.federal.conftest import identity_of, person
from tests.integration.federal.test_account import with_profile

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def signed_in(client, sign_in, population, personas):
    """``signed_in("alex")``: that persona signed in with a profile; returns their taxpayer."""

    def sign(key: str) -> Taxpayer:
        with_profile(sign_in, population, personas, key, on=client)
        return personas[key]

    return sign


@pytest.fixture
def newcomer() -> Taxpayer:
    """Someone with no return on record at all."""
    return ledger.do_register_taxpayer(
        kind="individual",
        tin_type="ssn",
        tin="512-34-5678",
        first_name="Robin",
        last_name="Castellano",
        address=NewAddress("4821 Orchard Lane", "Lowell", "MA", "01852", valid_from=dt.date(2010, 1, 1)),
        registered_on=dt.date(2010, 1, 1),
    )


@pytest.fixture
def newcomer_signed_in(client, sign_in, population, newcomer) -> Taxpayer:
    user = sign_in(identity_of(person(population, "alex"), "sub-newcomer"), on=client)
    Profile.objects.create(user=user, taxpayer=newcomer)
    return newcomer


def latest_return(taxpayer: Taxpayer) -> TaxReturn:
    return (
        TaxReturn.objects.filter(period__account__taxpayer=taxpayer, kind=ReturnKind.ORIGINAL)
        .select_related("period")
        .latest("period__end")
    )


def download(client, kind: str, year: int, customer_file_number: str = ""):
    data = {"kind": kind, "tax_year": str(year), "customer_file_number": customer_file_number}
    return client.post(reverse("records:transcripts"), data)


def read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def post(period: TaxPeriod, code: str, amount: str, day: dt.date, key: str, action_code: str = "") -> None:
    ledger.do_post_transaction(
        period, code=code, amount=Decimal(amount), effective_date=day, idempotency_key=key, action_code=action_code
    )


# --- each year's records -------------------------------------------------------------------


def test_the_newest_year_shows_its_return_as_filed_and_its_documents(client, signed_in, today):
    alex = signed_in("alex")
    filed = latest_return(alex)
    page = client.get(reverse("records:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Your {filed.period.end.year} return" in html
    assert money(filed.adjusted_gross_income) in html
    assert money(filed.total_tax) in html
    for document in InformationReturn.objects.filter(taxpayer=alex, tax_year=filed.period.end.year):
        assert reverse("records:document", args=[document.pk]) in html
        assert document.payer_name in html


def test_the_year_picker_shows_another_year_and_refuses_a_year_not_on_record(client, signed_in):
    alex = signed_in("alex")
    years = queries.record_years(alex, {module.year for module in queries.modules(alex, timezone.localdate())})
    older = years[-1]
    page = client.get(reverse("records:index"), {"year": older}).content.decode()
    assert f"Your {older} return" in page
    assert f'<option value="{older}" selected>' in page
    wrong = client.get(reverse("records:index"), {"year": "1999"})
    assert wrong.status_code == 200
    assert b"usa-error-message" in wrong.content
    assert f"Your {years[0]} return".encode() in wrong.content


def test_a_document_shows_its_payer_and_boxes(client, signed_in):
    alex = signed_in("alex")
    document = InformationReturn.objects.filter(taxpayer=alex, kind="W-2").latest("tax_year")
    page = client.get(reverse("records:document", args=[document.pk])).content.decode()
    assert "Form W-2 Wage and Tax Statement" in page
    assert document.payer_name in page
    assert "Wages, tips, other compensation" in page
    assert money(document.income) in page
    assert money(Decimal(document.boxes["2"])) in page


def test_another_taxpayers_document_is_not_found(client, signed_in, personas):
    signed_in("alex")
    theirs = InformationReturn.objects.filter(taxpayer=personas["jordan"]).first()
    assert client.get(reverse("records:document", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("records:document", args=[10**9])).status_code == 404


# --- transcripts ---------------------------------------------------------------------------


def check_masking(text: str, taxpayer: Taxpayer) -> None:
    tin = taxpayer.tin
    assert tin not in text
    assert f"{tin[:3]}-{tin[3:5]}-{tin[5:]}" not in text
    assert f"XXX-XX-{tin[-4:]}" in text
    assert taxpayer.last_name not in text
    assert taxpayer.last_name[: min(4, len(taxpayer.last_name) - 1)] in text
    street = current_address(taxpayer).line1
    assert street not in text
    assert street[:6] in text


@pytest.mark.parametrize(
    ("kind", "title", "filename"),
    [
        ("return", "Tax return transcript", "tax-return-transcript"),
        ("account", "Tax account transcript", "tax-account-transcript"),
        ("record_of_account", "Record of account", "record-of-account"),
    ],
)
def test_return_and_account_transcripts_download_masked_with_their_lines(
    client, signed_in, today, kind, title, filename
):
    alex = signed_in("alex")
    filed = latest_return(alex)
    year = filed.period.end.year
    answer = download(client, kind, year, customer_file_number="4455667788")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"] == f'attachment; filename="{filename}-{year}.pdf"'
    assert "no-store" in answer["Cache-Control"]
    reader, text = read(answer.content)
    assert reader.metadata.title == f"{title}, tax year {year}"
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    check_masking(text, alex)
    assert "4455667788" in text
    if kind != "account":
        assert money(filed.adjusted_gross_income) in text
        assert money(filed.total_tax) in text
    if kind != "return":
        for entry in filed.period.transactions.filter(effective_date__lte=today):
            assert entry.code in text
            assert entry.cycle in text
            assert money(entry.amount) in text
        assert "Accrued interest" in text


def test_a_download_is_audited_without_personal_data(client, signed_in):
    alex = signed_in("alex")
    year = latest_return(alex).period.end.year
    download(client, "account", year, customer_file_number="4455667788")
    event = AuditEvent.objects.get(tag="federal:transcript:downloaded")
    assert event.extra == {"kind": "account", "tax_year": year, "masked": True, "with_customer_file_number": True}
    assert event.subject == f"taxpayer:{alex.pk}"
    assert alex.tin not in str(event.extra)
    assert "4455667788" not in str(event.extra)


def test_the_wage_and_income_transcript_lists_each_document_masked(client, signed_in):
    alex = signed_in("alex")
    year = InformationReturn.objects.filter(taxpayer=alex).latest("tax_year").tax_year
    _reader, text = read(download(client, "wage_and_income", year).content)
    check_masking(text, alex)
    for document in InformationReturn.objects.filter(taxpayer=alex, tax_year=year):
        assert f"Form {document.kind}" in text
        assert money(document.income) in text
        assert document.payer_name not in text
        assert document.payer_name[:4] in text
        assert f"XX-XXX{document.payer_tin[-4:]}" in text


@pytest.mark.parametrize(("count", "refused"), [(85, False), (86, True)])
def test_more_than_85_documents_make_no_wage_and_income_transcript(client, signed_in, today, count, refused):
    alex = signed_in("alex")
    year = available_years(TranscriptKind.WAGE_AND_INCOME, today)[-1]
    InformationReturn.objects.filter(taxpayer=alex, tax_year=year).delete()
    InformationReturn.objects.bulk_create(
        InformationReturn(
            taxpayer=alex,
            tax_year=year,
            kind="1099-INT",
            payer_name=f"Bank number {number}",
            payer_tin=f"{10_000_0000 + number}",
            income=Decimal("10.00") + number,
            boxes={"1": str(Decimal("10.00") + number)},
            received_on=dt.date(year + 1, 1, 31),
        )
        for number in range(count)
    )
    answer = download(client, "wage_and_income", year)
    if refused:
        assert answer.status_code == 200
        assert b"more than the 85 we can put on a transcript online" in answer.content
        assert not AuditEvent.objects.filter(tag="federal:transcript:downloaded").exists()
    else:
        _reader, text = read(answer.content)
        assert text.count("Form 1099-INT") == 85


def test_years_follow_the_dated_rules(personas):
    spring, summer = dt.date(2026, 3, 1), dt.date(2026, 6, 15)
    assert available_years(TranscriptKind.RETURN, spring) == [2025, 2024, 2023, 2022]
    assert available_years(TranscriptKind.RECORD_OF_ACCOUNT, spring) == [2025, 2024, 2023, 2022]
    assert available_years(TranscriptKind.ACCOUNT, spring) == list(range(2025, 2015, -1))
    assert available_years(TranscriptKind.WAGE_AND_INCOME, spring) == list(range(2025, 2015, -1))
    assert available_years(TranscriptKind.NON_FILING, spring) == [2024, 2023, 2022]  # this year's after June 15
    assert available_years(TranscriptKind.NON_FILING, summer) == [2025, 2024, 2023, 2022]
    alex, today = personas["alex"], timezone.localdate()
    too_old = available_years(TranscriptKind.RETURN, today)[-1] - 1
    with pytest.raises(TranscriptUnavailableError, match="available for tax years"):
        render_transcript(alex, "return", too_old, as_of=today)


def test_a_year_without_a_return_has_no_return_transcript(client, signed_in, today):
    alex = signed_in("alex")
    filed = {r.period.end.year for r in TaxReturn.objects.filter(period__account__taxpayer=alex)}
    missing = next(year for year in available_years(TranscriptKind.ACCOUNT, today) if year not in filed)
    answer = download(client, "account", missing)
    assert b"We have no return, payment or other activity on record" in answer.content
    with pytest.raises(TranscriptUnavailableError, match="no return on record"):
        render_transcript(alex, "record_of_account", min(filed) - 1, as_of=dt.date(min(filed) + 1, 12, 1))


def test_non_filing_is_verified_only_for_a_year_with_no_return(client, signed_in, today, newcomer):
    alex = signed_in("alex")
    year = latest_return(alex).period.end.year
    refused = download(client, "non_filing", year)
    assert b"We have a return on record for" in refused.content
    letter_year = available_years(TranscriptKind.NON_FILING, today)[0]
    _reader, text = read(render_transcript(newcomer, "non_filing", letter_year, as_of=today))
    assert f"no record of a processed Form 1040-series tax return for tax year {letter_year}" in text
    assert "does not say whether you were required to file" in text
    assert "512-34-5678" not in text
    assert "XXX-XX-5678" in text
    assert "Castellano" not in text
    assert "CastXXXX" in text
    assert "4821 Orchard Lane" not in text
    assert "4821 OXXXX" in text


def test_an_unmasked_transcript_shows_identifiers_in_full(personas, today):
    alex = personas["alex"]
    year = latest_return(alex).period.end.year
    _reader, text = read(render_transcript(alex, "return", year, as_of=today, masked=False))
    assert f"{alex.tin[:3]}-{alex.tin[3:5]}-{alex.tin[5:]}" in text
    assert alex.last_name in text


@pytest.mark.parametrize("number", ["123456789", "12345678901", "12-345", "abc"])
def test_a_customer_file_number_is_up_to_10_digits_and_never_a_tin(client, signed_in, today, number):
    alex = signed_in("alex")
    year = latest_return(alex).period.end.year
    answer = download(client, "return", year, customer_file_number=number)
    assert answer.status_code == 200
    assert b"usa-error-message" in answer.content
    with pytest.raises(CustomerFileNumberError):
        render_transcript(alex, "return", year, as_of=today, customer_file_number=number)


def test_the_transcripts_page_lists_the_years_for_each_type(client, signed_in, today):
    alex = signed_in("alex")
    page = client.get(reverse("records:transcripts"), {"tax_year": latest_return(alex).period.end.year})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Verification of non-filing letter" in html
    assert "Years we can make for you" in html


# --- refund status -------------------------------------------------------------------------


def test_a_sent_refund_shows_every_stage_done(client, signed_in):
    chris = signed_in("chris")
    filed = latest_return(chris)
    refund = filed.period.transactions.get(code="846")
    page = client.get(reverse("records:refund-status")).content.decode()
    assert f"Return for {filed.period.end.year} (Form 1040)" in page
    assert f"We sent your refund of {money(refund.amount)}" in page
    assert 'aria-current="step"' not in page.split("</ol>")[0]


def new_year_with_refund(taxpayer: Taxpayer, today: dt.date) -> TaxPeriod:
    """The current tax year, filed a month ago, claiming a $500.00 refund of withholding."""
    year = queries.current_tax_year(today)
    account = ledger.do_open_account(taxpayer, AccountType.INDIVIDUAL_INCOME, opened_on=today)
    end = dt.date(year, 12, 31)
    due = due_date("federal", AccountType.INDIVIDUAL_INCOME, end)
    period = ledger.do_open_period(account, start=dt.date(year, 1, 1), end=end, due_date=due)
    ledger.do_record_return(
        period,
        form="1040",
        filed_on=today - 30 * DAY,
        total_tax=Decimal("1000.00"),
        income_tax_after_credits=Decimal("1000.00"),
        total_payments=Decimal("1500.00"),
        filing_status="single",
        adjusted_gross_income=Decimal("30000.00"),
        taxable_income=Decimal("15400.00"),
    )
    post(period, "806", "-1500.00", today - 30 * DAY, "test-withholding")
    return period


def test_a_refund_is_processed_held_approved_with_an_offset_then_sent(client, newcomer_signed_in, today):
    period = new_year_with_refund(newcomer_signed_in, today)

    def page() -> str:
        return client.get(reverse("records:refund-status")).content.decode()

    assert "Refund claimed on the return: $500.00." in page()
    assert "We have not approved your refund yet." in page()
    post(period, "810", "0", today - 20 * DAY, "test-freeze")
    assert "Your refund is on hold." in page()
    assert "(on hold)" in client.get(reverse("records:index")).content.decode()
    post(period, "811", "0", today - 10 * DAY, "test-release")
    post(period, "898", "100.00", today - 2 * DAY, "test-offset")
    post(period, "846", "400.00", today + 3 * DAY, "test-refund")
    html = page()
    assert "We approved your refund of $400.00" in html
    assert f"We will send your refund of $400.00 on {formats_date(today + 3 * DAY)}." in html
    assert "$100.00 went to a debt you owe another government agency" in html
    assert "Refund approved" in client.get(reverse("records:index")).content.decode()
    later = status.refund_tracks(queries.modules(newcomer_signed_in, today + 3 * DAY), today + 3 * DAY)[0]
    assert [stage.state for stage in later.stages] == [status.StageState.DONE] * 4


def formats_date(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def test_an_amended_return_is_received_adjusted_and_completed_with_its_refund(client, signed_in, today):
    alex = signed_in("alex")
    paid_up = next(
        filed
        for filed in TaxReturn.objects.filter(period__account__taxpayer=alex).order_by("-filed_on")
        if sum(t.amount for t in filed.period.transactions.all()) == 0 and filed.total_tax >= 1000
    )
    period, year = paid_up.period, paid_up.period.end.year
    ledger.do_record_return(
        period,
        kind=ReturnKind.AMENDED,
        form="1040-X",
        filed_on=today - 6 * DAY,
        total_tax=paid_up.total_tax - 1000,
        income_tax_after_credits=paid_up.income_tax_after_credits - 1000,
        total_payments=paid_up.total_payments,
        filing_status=paid_up.filing_status,
        adjusted_gross_income=paid_up.adjusted_gross_income - 4000,
        taxable_income=paid_up.taxable_income - 4000,
    )
    html = client.get(reverse("records:refund-status")).content.decode()
    assert f"Amended return for {year} (Form 1040-X)" in html
    assert "We are reviewing your amended return." in html
    records = client.get(reverse("records:index"), {"year": year}).content.decode()
    assert "As originally filed" in records
    assert "Amended return, filed" in records
    assert money(paid_up.adjusted_gross_income - 4000) in records
    post(period, "291", "-1000.00", today - 4 * DAY, "test-abatement")
    post(period, "846", "1000.00", today + 5 * DAY, "test-amended-refund")
    html = client.get(reverse("records:refund-status")).content.decode()
    assert "We adjusted your account for the amended return" in html
    assert f"We will send your refund of $1,000.00 on {formats_date(today + 5 * DAY)}." in html
    later = today + 5 * DAY
    done = next(track for track in status.refund_tracks(queries.modules(alex, later), later) if track.amended)
    assert done.current.key == "completed"
    assert done.current.state == status.StageState.DONE
    _reader, text = read(download(client, "account", year).content)
    assert "971" in text
    assert "Amended tax return or claim received" in text
    assert "291" in text
    assert "-$1,000.00" in text


def test_no_refund_on_its_way(client, signed_in):
    signed_in("alex")
    html = client.get(reverse("records:refund-status")).content.decode()
    assert "No return from recent years claimed a refund" in html


# --- audit status --------------------------------------------------------------------------


def test_an_audit_by_mail_is_requested_opened_and_closed_with_additional_tax(client, signed_in, today):
    alex = signed_in("alex")
    period = latest_return(alex).period
    year = period.end.year

    def page() -> str:
        return client.get(reverse("records:audit-status")).content.decode()

    assert "We are not examining any of your returns by mail." in page()
    post(period, "424", "0", today - 60 * DAY, "test-exam-request")
    assert f"Your {year} return was selected for an audit by mail." in page()
    post(period, "420", "0", today - 50 * DAY, "test-exam-open")
    html = page()
    assert f"We are auditing your {year} return by mail" in html
    assert "Answer the letter we sent by the date it gives" in html
    assert f"We are auditing your {year} return by mail" in client.get(reverse("records:index")).content.decode()
    post(period, "421", "0", today - 5 * DAY, "test-exam-closed")
    post(period, "300", "500.00", today - 5 * DAY, "test-exam-tax")
    html = page()
    assert f"The audit of your {year} return ended on" in html
    assert "The audit added $500.00 of tax (transaction code 300)" in html
    _reader, text = read(download(client, "account", year).content)
    for code in ("424", "420", "421", "300"):
        assert code in text
    assert "Additional tax assessed by examination" in text


def test_an_audit_closed_with_no_change(client, signed_in, today):
    alex = signed_in("alex")
    period = latest_return(alex).period
    post(period, "420", "0", today - 50 * DAY, "test-exam-open")
    post(period, "421", "0", today - 5 * DAY, "test-exam-closed")
    assert "The audit ended with no change to your tax." in client.get(reverse("records:audit-status")).content.decode()


@pytest.mark.parametrize(
    "name", ["records:index", "records:transcripts", "records:refund-status", "records:audit-status"]
)
def test_each_page_reads_a_few_queries_whatever_the_history(client, signed_in, django_assert_max_num_queries, name):
    signed_in("jordan")  # six years of returns and a payment plan's monthly payments
    with django_assert_max_num_queries(12):
        assert client.get(reverse(name)).status_code == 200


# --- a business's records, by tax period ------------------------------------------------------


def latest_period(taxpayer: Taxpayer, account_type: AccountType) -> TaxPeriod:
    return (
        TaxPeriod.objects.select_related("account")
        .filter(account__taxpayer=taxpayer, account__account_type=account_type)
        .latest("end")
    )


def download_module(client, kind: str, period: TaxPeriod):
    return client.post(
        reverse("records:transcripts"), {"kind": kind, "period": str(period.pk), "customer_file_number": ""}
    )


def check_entity_masking(text: str, entity: Taxpayer) -> None:
    ein = entity.tin
    assert ein not in text
    assert f"{ein[:2]}-{ein[2:]}" not in text
    assert f"XX-XXX{ein[-4:]}" in text
    assert entity.name not in text
    assert f"{entity.name[:4]}XXXX" in text
    street = current_address(entity).line1
    assert street not in text
    assert f"{street[:6]}XXXX" in text


@pytest.mark.parametrize("kind", ["account", "record_of_account"])
def test_a_business_gets_a_quarters_transcript_masked_with_its_postings(client, acting_for_bakery, today, kind):
    quarter = latest_period(acting_for_bakery, AccountType.WITHHOLDING)  # Form 941, maybe of this very year
    answer = download_module(client, kind, quarter)
    assert answer.status_code == 200
    assert answer["Content-Disposition"].endswith(f'-941-{quarter.label}.pdf"')
    reader, text = read(answer.content)
    ending = formats.date_format(quarter.end, "DATE_FORMAT")
    assert reader.metadata.title.endswith(f", Form 941, quarter ending {ending}")
    check_entity_masking(text, acting_for_bakery)
    assert "Form number" in text
    for entry in quarter.transactions.filter(effective_date__lte=today):
        assert entry.code in text
        assert money(entry.amount) in text
    assert "Adjusted gross income" not in text
    assert "Filing status" not in text
    if kind == "record_of_account":
        assert "Balance due" in text
        assert "Amount you owed" not in text
    event = AuditEvent.objects.get(tag="federal:transcript:downloaded")
    assert event.subject == f"taxpayer:{acting_for_bakery.pk}"
    assert event.extra["account_type"] == "withholding"
    assert event.extra["period_end"] == quarter.end.isoformat()


def test_a_business_gets_the_return_transcript_of_a_filed_year(client, acting_for_bakery):
    year = latest_period(acting_for_bakery, AccountType.PARTNERSHIP)
    filed = year.returns.get(kind=ReturnKind.ORIGINAL)
    _reader, text = read(download_module(client, "return", year).content)
    check_entity_masking(text, acting_for_bakery)
    assert "1065" in text
    assert money(filed.total_payments) in text
    assert "Adjusted gross income" not in text


def test_a_designated_user_sees_the_records_and_gets_transcripts_too(client, sign_in, population, personas):
    chris = with_profile(sign_in, population, personas, "chris", on=client)
    acting_for_bakery = Taxpayer.objects.get(tin_fingerprint=tin_fingerprint(population.business(0).ein))
    BusinessRole.objects.create(user=chris, entity=acting_for_bakery, role=RoleKind.DESIGNATED_USER)
    act_for(client, acting_for_bakery)
    assert client.get(reverse("records:index")).status_code == 200
    answer = download_module(client, "account", latest_period(acting_for_bakery, AccountType.PARTNERSHIP))
    assert answer["Content-Type"] == "application/pdf"


def test_wage_and_income_and_non_filing_are_not_for_a_business(client, acting_for_bakery, today):
    year = available_years(TranscriptKind.NON_FILING, today)[0]
    for kind in ("wage_and_income", "non_filing"):
        with pytest.raises(TranscriptUnavailableError, match="about a person, so a business or an estate cannot get"):
            render_transcript(acting_for_bakery, kind, year, as_of=today)
    page = client.get(reverse("records:transcripts")).content.decode()
    assert "about a person, so a business or an estate cannot get them" in page
    assert 'value="wage_and_income"' not in page
    assert 'value="non_filing"' not in page
    refused = download_module(client, "non_filing", latest_period(acting_for_bakery, AccountType.PARTNERSHIP))
    assert b"usa-error-message" in refused.content
    assert not AuditEvent.objects.filter(tag="federal:transcript:downloaded").exists()


def test_the_transcripts_page_offers_a_business_its_years_and_quarters(client, acting_for_bakery):
    page = client.get(reverse("records:transcripts")).content.decode()
    quarter = latest_period(acting_for_bakery, AccountType.WITHHOLDING)
    year = latest_period(acting_for_bakery, AccountType.PARTNERSHIP)
    assert f"Form 941, quarter ending {formats.date_format(quarter.end, 'DATE_FORMAT')}</option>" in page
    assert f"Form 1065, {year.end.year}</option>" in page
    assert "A transcript summarizes the tax records of Morgan Family Bakery LLC" in page
    assert "Your filing status" not in page
    assert 'name="tax_year"' not in page


def test_another_taxpayers_period_is_not_a_choice(client, acting_for_bakery, personas, today):
    theirs = latest_return(personas["alex"]).period
    answer = download_module(client, "account", theirs)
    assert answer.status_code == 200
    assert b"usa-error-message" in answer.content
    with pytest.raises(ValueError, match="one of its own tax periods"):
        render_transcript(acting_for_bakery, "account", theirs.end.year, as_of=today, period=theirs)


def test_the_records_page_shows_each_return_of_the_business_for_a_year(client, acting_for_bakery):
    year = latest_period(acting_for_bakery, AccountType.PARTNERSHIP).end.year
    page = client.get(reverse("records:index"), {"year": year}).content.decode()
    assert f"Returns for {year}" in page
    assert f"Form 1065, {year}: key lines as filed" in page
    for quarter in TaxPeriod.objects.filter(
        account__taxpayer=acting_for_bakery, account__account_type="withholding", end__year=year
    ):
        ending = formats.date_format(quarter.end, "DATE_FORMAT")
        assert f"Form 941, quarter ending {ending}: key lines as filed" in page
        assert money(quarter.returns.get().total_tax) in page
    assert "Balance due" in page
    for individual in (
        "Your {year} return",
        "Adjusted gross income",
        "Filing status",
        "Amount you owed",
        "Check your refund status",
        "about you",
    ):
        assert individual.format(year=year) not in page
    assert f"No payer has sent us an information return about Morgan Family Bakery LLC for {year}." in page
    assert "Refund status and audit status follow individual income tax returns" in page


def test_an_information_return_about_the_business_is_shown(client, acting_for_bakery):
    document = InformationReturn.objects.create(
        taxpayer=acting_for_bakery,
        tax_year=2025,
        kind="1099-K",
        payer_name="Neighborly Payments Inc.",
        payer_tin="271234567",
        income=Decimal("48210.00"),
        boxes={"1a": "48210.00"},
        received_on=dt.date(2026, 1, 31),
    )
    assert "Neighborly Payments Inc." in client.get(reverse("records:index"), {"year": 2025}).content.decode()
    page = client.get(reverse("records:document", args=[document.pk]))
    assert page.status_code == 200
    assert money(document.income).encode() in page.content


def test_refund_and_audit_status_stay_individual(client, acting_for_bakery):
    for name in ("records:refund-status", "records:audit-status"):
        assert client.get(reverse(name))["Location"].startswith(reverse("business:individual_only"))


@pytest.mark.parametrize("name", ["records:index", "records:transcripts"])
def test_a_business_records_page_reads_a_few_queries(client, acting_for_bakery, django_assert_max_num_queries, name):
    with django_assert_max_num_queries(12):
        assert client.get(reverse(name)).status_code == 200
