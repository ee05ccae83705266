"""The five transcripts, as tagged PDF, and which tax years each can be had for.

``render_transcript`` is the one entry point, for the records pages and for other apps (an
authorization that releases a transcript to a lender or a tax professional). It reads the
ledger, applies the masking rules unless told not to, and raises ``TranscriptUnavailableError``
with a message for people when the transcript cannot be made for that year. It writes
nothing: whoever hands the PDF to someone records the audit event.

An individual asks by tax year. A business or estate (through its Designated Officials and
Users, ADR 0027) asks for one of its tax modules: a Form 1065 year, a Form 941 quarter. Only
the return and account transcripts and the record of account exist for it: the wage and
income transcript and the verification of non-filing are about a person.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db.models import QuerySet
from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taxgov.common.identifiers import format_tin
from taxgov.common.pdf import Column, TaggedPdf
from taxgov.federal.records import documents, queries
from taxgov.federal.records.masking import Masking, masking_on
from taxgov.ledger import queries as ledger
from taxgov.ledger.agencies import account_types, current_agency, current_rules
from taxgov.ledger.engine import cents
from taxgov.ledger.models import AccountType, InformationReturn, Taxpayer, TaxpayerKind, TaxPeriod, TaxReturn
from taxgov.ledger.templatetags.ledger import money


class TranscriptKind(StrEnum):
    RETURN = "return"
    ACCOUNT = "account"
    RECORD_OF_ACCOUNT = "record_of_account"
    WAGE_AND_INCOME = "wage_and_income"
    NON_FILING = "non_filing"

    @property
    def label(self) -> str:
        return str(_LABELS[self])


_LABELS: dict[TranscriptKind, Promise] = {
    TranscriptKind.RETURN: gettext_lazy("Tax return transcript"),
    TranscriptKind.ACCOUNT: gettext_lazy("Tax account transcript"),
    TranscriptKind.RECORD_OF_ACCOUNT: gettext_lazy("Record of account"),
    TranscriptKind.WAGE_AND_INCOME: gettext_lazy("Wage and income transcript"),
    TranscriptKind.NON_FILING: gettext_lazy("Verification of non-filing letter"),
}
_FILENAMES = {
    TranscriptKind.RETURN: "tax-return-transcript",
    TranscriptKind.ACCOUNT: "tax-account-transcript",
    TranscriptKind.RECORD_OF_ACCOUNT: "record-of-account",
    TranscriptKind.WAGE_AND_INCOME: "wage-and-income-transcript",
    TranscriptKind.NON_FILING: "verification-of-non-filing",
}
ENTITY_KINDS = (TranscriptKind.RETURN, TranscriptKind.ACCOUNT, TranscriptKind.RECORD_OF_ACCOUNT)
NOT_FOR_ENTITIES = gettext_lazy(
    "Wage and income transcripts and verification of non-filing letters are about a person, "
    "so a business or an estate cannot get them."
)
# How a business's or estate's module is named, by how often its account files.
_MODULE_NAMES: dict[str, Promise] = {
    "annual": gettext_lazy("Form %(form)s, %(year)s"),
    "quarterly": gettext_lazy("Form %(form)s, quarter ending %(day)s"),
    "monthly": gettext_lazy("Form %(form)s, month ending %(day)s"),
}
_PRIOR_YEARS = {
    TranscriptKind.RETURN: "transcripts.return_prior_years",
    TranscriptKind.ACCOUNT: "transcripts.account_prior_years",
    TranscriptKind.RECORD_OF_ACCOUNT: "transcripts.record_of_account_prior_years",
    TranscriptKind.WAGE_AND_INCOME: "transcripts.wage_and_income_prior_years",
    TranscriptKind.NON_FILING: "transcripts.non_filing_prior_years",
}


TIN_DIGITS = 9  # SSNs, ITINs and EINs alike


class TranscriptUnavailableError(Exception):
    """That transcript cannot be made for that tax year; the message says why and what to do."""


class CustomerFileNumberError(ValueError):
    """A customer file number that is not up to the allowed digits, or could be a TIN."""


def available_years(kind: TranscriptKind, as_of: dt.date) -> list[int]:
    """The tax years the dated rules offer a transcript type for on ``as_of``, newest first:
    the current tax year and a number of years before it. The verification of non-filing
    covers the current year only from a day of the year (mid-June)."""
    rules = current_rules()
    last = queries.current_tax_year(as_of)
    first = last - int(rules.number(_PRIOR_YEARS[kind], as_of))
    if kind == TranscriptKind.NON_FILING:
        month, day = (
            int(part) for part in str(rules.value("transcripts.non_filing_current_year_from", as_of)).split("-")
        )
        if as_of < dt.date(as_of.year, month, day):
            last -= 1
    return list(range(last, first - 1, -1))


def max_documents(as_of: dt.date) -> int:
    return int(current_rules().number("transcripts.wage_and_income_max_documents", as_of))


def check_customer_file_number(value: str, as_of: dt.date) -> str:
    """The number as it will be printed, or ``CustomerFileNumberError``. Nine digits are
    refused: an SSN, an ITIN and an EIN all have nine, and a TIN must never be printed here."""
    value = value.strip()
    if not value:
        return ""
    most = int(current_rules().number("transcripts.customer_file_number_max_digits", as_of))
    if not re.fullmatch(rf"[0-9]{{1,{most}}}", value):
        raise CustomerFileNumberError(
            _("A customer file number has up to %(digits)d digits and nothing else.") % {"digits": most}
        )
    if len(value) == TIN_DIGITS:
        raise CustomerFileNumberError(
            _("A customer file number cannot be a Social Security number, ITIN or EIN, so it cannot have 9 digits.")
        )
    return value


def transcript_filename(kind: TranscriptKind, tax_year: int, period: TaxPeriod | None = None) -> str:
    if period is not None:
        return f"{_FILENAMES[kind]}-{module_form(period)}-{period.label}.pdf"
    return f"{_FILENAMES[kind]}-{tax_year}.pdf"


def module_form(period: TaxPeriod) -> str:
    """The form a period's returns are filed on (1065, 941...), from the agency's account types."""
    return account_types(current_agency())[AccountType(period.account.account_type)].form


def module_name(period: TaxPeriod) -> str:
    """A business's or estate's module as people read it: ``Form 1065, 2024`` or ``Form 941,
    quarter ending Mar. 31, 2024``."""
    frequency = account_types(current_agency())[AccountType(period.account.account_type)].frequency
    return str(_MODULE_NAMES[frequency]) % {
        "form": module_form(period),
        "year": period.end.year,
        "day": _date(period.end),
    }


def kinds_for(taxpayer: Taxpayer) -> tuple[TranscriptKind, ...]:
    return tuple(TranscriptKind) if taxpayer.kind == TaxpayerKind.INDIVIDUAL else ENTITY_KINDS


def periods_offered(taxpayer: Taxpayer, as_of: dt.date) -> QuerySet[TaxPeriod] | None:
    """A business's or estate's tax periods the rules offer a transcript of, for the module
    picker; None for an individual, who asks by tax year."""
    if taxpayer.kind == TaxpayerKind.INDIVIDUAL:
        return None
    return queries.periods_since(taxpayer, min(available_years(kind, as_of)[-1] for kind in ENTITY_KINDS))


@dataclass(frozen=True)
class Offer:
    """For the transcripts page: a type, the years the rules allow, and of those the years this
    taxpayer's records can fill."""

    kind: TranscriptKind
    years: list[int]
    ready: list[int]


def offers(taxpayer: Taxpayer, as_of: dt.date) -> list[Offer]:
    years = queries.years_on_record(taxpayer, as_of)
    on_record = set(years)
    filed = {year for year, has_original in years.items() if has_original}
    counts = queries.document_counts(taxpayer)
    most = max_documents(as_of)
    ready: dict[TranscriptKind, Callable[[int], bool]] = {
        TranscriptKind.RETURN: lambda year: year in filed,
        TranscriptKind.ACCOUNT: lambda year: year in on_record,
        TranscriptKind.RECORD_OF_ACCOUNT: lambda year: year in filed,
        TranscriptKind.WAGE_AND_INCOME: lambda year: 0 < counts.get(year, 0) <= most,
        TranscriptKind.NON_FILING: lambda year: year not in filed,
    }
    result = []
    for kind in kinds_for(taxpayer):
        allowed = available_years(kind, as_of)
        if taxpayer.kind != TaxpayerKind.INDIVIDUAL:  # this year's quarters already filed, too
            allowed = sorted({*allowed, *(year for year in on_record if year > allowed[0])}, reverse=True)
        result.append(Offer(kind, allowed, [year for year in allowed if ready[kind](year)]))
    return result


@dataclass(frozen=True)
class _Records:
    taxpayer: Taxpayer
    kind: TranscriptKind
    year: queries.TaxYear
    documents: list[InformationReturn]
    as_of: dt.date

    @property
    def individual(self) -> bool:
        """A person's transcript, by tax year, with the lines only a Form 1040 has."""
        return self.taxpayer.kind == TaxpayerKind.INDIVIDUAL


def _module_records(taxpayer: Taxpayer, kind: TranscriptKind, period: TaxPeriod | None, as_of: dt.date) -> _Records:
    """A business's or estate's transcript of one of its own modules."""
    if kind not in ENTITY_KINDS:
        raise TranscriptUnavailableError(str(NOT_FOR_ENTITIES))
    module = queries.module(taxpayer, period, as_of)
    if module is None or module.period is None:
        raise ValueError("A business's or estate's transcript is of one of its own tax periods.")
    first = available_years(kind, as_of)[-1]
    if module.year < first:
        raise TranscriptUnavailableError(
            _("%(kind)s: available for tax periods ending in %(first)s or later.")
            % {"kind": kind.label, "first": first}
        )
    if kind != TranscriptKind.ACCOUNT and module.original is None:
        raise TranscriptUnavailableError(
            _("%(kind)s: we have no return on record for %(module)s, so there is nothing to show.")
            % {"kind": kind.label, "module": module_name(module.period)}
        )
    return _Records(taxpayer, kind, module, [], as_of)


def _records(
    taxpayer: Taxpayer, kind: TranscriptKind, tax_year: int, as_of: dt.date, period: TaxPeriod | None
) -> _Records:
    if taxpayer.kind != TaxpayerKind.INDIVIDUAL:
        return _module_records(taxpayer, kind, period, as_of)
    label = {"kind": kind.label, "year": tax_year}
    allowed = available_years(kind, as_of)
    if tax_year not in allowed:
        raise TranscriptUnavailableError(
            _("%(kind)s: available for tax years %(first)s through %(last)s.")
            % {"kind": kind.label, "first": allowed[-1], "last": allowed[0]}
        )
    year = queries.tax_year(taxpayer, tax_year, as_of)
    found: list[InformationReturn] = []
    if kind in (TranscriptKind.RETURN, TranscriptKind.RECORD_OF_ACCOUNT) and year.original is None:
        raise TranscriptUnavailableError(
            _(
                "%(kind)s: we have no return on record for %(year)s, so there is nothing to show. "
                "A verification of non-filing letter shows that we have none."
            )
            % label
        )
    if kind == TranscriptKind.ACCOUNT and year.period is None:
        raise TranscriptUnavailableError(
            _("We have no return, payment or other activity on record for %(year)s.") % label
        )
    if kind == TranscriptKind.NON_FILING and year.original is not None:
        raise TranscriptUnavailableError(
            _("We have a return on record for %(year)s, so we cannot verify that you did not file one.") % label
        )
    if kind == TranscriptKind.WAGE_AND_INCOME:
        found = queries.documents_of(taxpayer, tax_year)
        if not found:
            raise TranscriptUnavailableError(
                _("No employer or other payer has sent us a Form W-2, 1098, 1099 or 5498 about you for %(year)s.")
                % label
            )
        if len(found) > max_documents(as_of):
            raise TranscriptUnavailableError(
                _(
                    "Your wage and income transcript for %(year)s would list %(count)d documents, more than the "
                    "%(most)d we can put on a transcript online. Ask for it by mail with Form 4506-T."
                )
                % {"year": tax_year, "count": len(found), "most": max_documents(as_of)}
            )
    return _Records(taxpayer, kind, year, found, as_of)


def render_transcript(
    taxpayer: Taxpayer,
    kind: str,
    tax_year: int,
    *,
    as_of: dt.date,
    masked: bool = True,
    customer_file_number: str = "",
    period: TaxPeriod | None = None,
) -> bytes:
    """The transcript as a PDF. Raises ``TranscriptUnavailableError`` (a message for people) when it
    cannot be made for that year, ``CustomerFileNumberError`` for a bad customer file number
    and ``ValueError`` for an unknown kind. A business's or estate's transcript is of the module
    ``period`` (one of its own; ``tax_year`` is then the year it ends in)."""
    chosen = TranscriptKind(kind)
    number = check_customer_file_number(customer_file_number, as_of)
    records = _records(taxpayer, chosen, tax_year, as_of, period)
    writer = _Writer(records, masking_on(as_of) if masked else None)
    return writer.render(number)


def _date(day: dt.date | None) -> str:
    return formats.date_format(day) if day else ""


class _Writer:
    """Lays out one transcript: the common heading, then the parts of its type."""

    def __init__(self, records: _Records, masking: Masking | None) -> None:
        self.records = records
        self.masking = masking
        period = records.year.period
        if records.individual or period is None:
            title = _("%(kind)s, tax year %(year)s") % {"kind": records.kind.label, "year": records.year.year}
        else:
            title = _("%(kind)s, %(module)s") % {"kind": records.kind.label, "module": module_name(period)}
        requested = _("Request date %(day)s") % {"day": _date(records.as_of)}
        self.pdf = TaggedPdf(
            title=title,
            author=str(settings.TAXGOV_BRAND["agency_name"]),
            subject=requested,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            footer=f"{title} · {requested}",
        )

    def render(self, customer_file_number: str) -> bytes:
        self.heading(customer_file_number)
        parts: dict[TranscriptKind, Sequence[Callable[[], None]]] = {
            TranscriptKind.RETURN: (self.return_lines,),
            TranscriptKind.ACCOUNT: (self.account,),
            TranscriptKind.RECORD_OF_ACCOUNT: (self.return_lines, self.account),
            TranscriptKind.WAGE_AND_INCOME: (self.wage_and_income,),
            TranscriptKind.NON_FILING: (self.non_filing,),
        }
        for part in parts[self.records.kind]:
            part()
        return self.pdf.pdf()

    # --- what is masked --------------------------------------------------------------------

    def tin(self, tin: str, tin_type: str) -> str:
        return self.masking.tin(tin, tin_type) if self.masking else format_tin(tin, tin_type)

    def name(self, name: str) -> str:
        return self.masking.name(name) if self.masking and name else name

    def street(self, street: str) -> str:
        return self.masking.street(street) if self.masking else street

    # --- the parts -------------------------------------------------------------------------

    def heading(self, customer_file_number: str) -> None:
        records, taxpayer = self.records, self.records.taxpayer
        self.pdf.heading(records.kind.label, 1)
        self.pdf.paragraph(_("This product contains sensitive taxpayer data."), bold=True)
        # A person's first, middle and last names, or a business's or estate's name.
        names = [
            self.name(name) for name in (taxpayer.first_name, taxpayer.middle_name, taxpayer.last_name, taxpayer.name)
        ]
        address = ledger.current_address(taxpayer)
        period = records.year.period
        facts = [
            (_("Request date"), _date(records.as_of)),
            (_("Tax period ending"), _date(period.end if period else dt.date(records.year.year, 12, 31))),
        ]
        if period is not None and not records.individual:
            facts.append((_("Form number"), module_form(period)))
        facts.append((str(taxpayer.get_tin_type_display()), self.tin(taxpayer.tin, taxpayer.tin_type)))
        if customer_file_number:
            facts.append((_("Customer file number"), customer_file_number))
        facts.append((_("Name"), " ".join(part for part in [*names, taxpayer.suffix] if part)))
        if address is not None:
            street = " ".join(line for line in (address.line1, address.line2) if line)
            facts.append(
                (_("Address"), f"{self.street(street)}, {address.city}, {address.state} {address.postal_code}")
            )
        self.pdf.facts(facts)
        if self.masking:
            self.pdf.paragraph(
                _(
                    "To protect your identity, identifying numbers, names and addresses are partly hidden. "
                    "All money amounts are shown in full."
                )
            )

    def return_lines(self) -> None:
        filed = self.records.year.original
        assert filed is not None  # noqa: S101 (``_records`` refused the transcript without one)
        self.pdf.heading(_("Return as originally filed"), 2)
        facts = [(_("Form"), filed.form)]
        if self.records.individual:
            facts.append((_("Filing status"), str(filed.get_filing_status_display())))
        facts.append((_("Received date"), _date(filed.filed_on)))
        self.pdf.facts(facts)
        self.pdf.heading(_("Income and tax"), 2)
        self.pdf.facts(self._amounts(filed, individual=self.records.individual))
        self.pdf.paragraph(
            _(
                "This transcript shows the return as it was first filed. "
                "Later changes are on the tax account transcript."
            )
        )

    @staticmethod
    def _amounts(filed: TaxReturn, *, individual: bool) -> list[tuple[str, str]]:
        rows = [(_("Adjusted gross income"), money(filed.adjusted_gross_income))] if individual else []
        rows += [
            (_("Taxable income"), money(filed.taxable_income)),
            (_("Income tax after credits"), money(filed.income_tax_after_credits)),
            (_("Total tax"), money(filed.total_tax)),
            (_("Total payments"), money(filed.total_payments)),
        ]
        if filed.refund:
            rows.append((_("Amount to be refunded"), money(filed.refund)))
        else:
            rows.append((_("Amount you owed") if individual else _("Balance due"), money(filed.balance_due)))
        return [(label, amount or _("Not shown")) for label, amount in rows]

    def account(self) -> None:
        year, as_of = self.records.year, self.records.as_of
        assert year.period is not None  # noqa: S101 (``_records`` refused the transcript without one)
        payoff = ledger.period_payoff(year.period, as_of)
        balance, interest, penalty = (
            cents(payoff.assessed_balance),
            cents(payoff.accrued_interest),
            cents(payoff.accrued_penalties),
        )
        self.pdf.heading(_("Account balance"), 2)
        self.pdf.facts(
            [
                (_("Account balance"), money(balance)),
                (_("Accrued interest as of %(day)s") % {"day": _date(as_of)}, money(interest)),
                (_("Accrued penalty as of %(day)s") % {"day": _date(as_of)}, money(penalty)),
                (_("Account balance plus accruals"), money(balance + interest + penalty)),
            ]
        )
        self.pdf.paragraph(
            _(
                "A minus sign shows a credit due you or a payment. The balance plus accruals is not a payoff "
                "amount: interest and penalties keep accruing until the day you pay."
            )
        )
        self.pdf.heading(_("Information from the return or as adjusted"), 2)
        if year.original is None:
            self.pdf.paragraph(_("No return filed."))
        else:
            latest = year.amended[-1] if year.amended else year.original
            processed = next((t for t in year.transactions if t.code == "150"), None)
            facts = []
            if self.records.individual:
                facts = [
                    (_("Filing status"), str(latest.get_filing_status_display())),
                    (_("Adjusted gross income"), money(latest.adjusted_gross_income) or _("Not shown")),
                ]
            self.pdf.facts(
                [
                    *facts,
                    (_("Taxable income"), money(latest.taxable_income) or _("Not shown")),
                    (_("Tax per return"), money(year.original.total_tax)),
                    (
                        _("Return due date or return received date (whichever is later)"),
                        _date(max(year.period.due_date, year.original.filed_on)),
                    ),
                    (_("Processing date"), _date(queries.posting_day(processed.cycle)) if processed else ""),
                ]
            )
        self.pdf.heading(_("Transactions"), 2)
        rows = [
            [row.code, str(row.explanation), row.cycle, _date(row.effective_date), money(row.amount)]
            for row in ledger.transcript_rows(year.transactions)
        ]
        if not rows:
            self.pdf.paragraph(_("No transactions."))
            return
        columns = (
            Column(_("Code"), 0.08),
            Column(_("Explanation of transaction"), 0.44),
            Column(_("Cycle"), 0.13),
            Column(_("Date"), 0.17),
            Column(_("Amount"), 0.18, numeric=True),
        )
        self.pdf.table(columns, rows)

    def wage_and_income(self) -> None:
        if self.records.year.year == queries.current_tax_year(self.records.as_of):
            self.pdf.paragraph(_("Information for the current tax year may not be complete until July."))
        columns = (Column(_("Box"), 0.1), Column(_("What it shows"), 0.6), Column(_("Amount"), 0.3, numeric=True))
        for document in self.records.documents:
            self.pdf.heading(_("Form %(title)s") % {"title": documents.title(document)}, 2)
            self.pdf.facts(
                [
                    (documents.payer_role(document), self.name(document.payer_name)),
                    (_("Payer's identification number (EIN)"), self.tin(document.payer_tin, "ein")),
                    (_("Received on"), _date(document.received_on)),
                ]
            )
            self.pdf.table(columns, [[box.number, box.label, box.value] for box in documents.boxes(document)])

    def non_filing(self) -> None:
        year = self.records.year.year
        self.pdf.heading(_("No return on record"), 2)
        self.pdf.paragraph(
            _(
                "We have no record of a processed Form 1040-series tax return for tax year %(year)s "
                "as of the request date."
            )
            % {"year": year}
        )
        self.pdf.paragraph(_("This letter does not say whether you were required to file a tax return for that year."))
