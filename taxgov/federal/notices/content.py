"""A notice's digital copy: its facts, the amounts from the ledger as of the notice date, and
its wording, for the notice page and for the PDF (the project's one letter layout)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from taxgov.common.identifiers import masked_tin
from taxgov.common.letters import PrintedLetter
from taxgov.federal.notices import queries
from taxgov.federal.notices.wording import WORDING, Amounts
from taxgov.ledger.models import Notice
from taxgov.ledger.queries import current_address, period_payoff
from taxgov.ledger.templatetags.ledger import money


@dataclass(frozen=True)
class NoticeCopy:
    notice: Notice
    title: str  # "CP14: Balance due"
    facts: list[tuple[str, str]]
    amounts: list[tuple[str, Decimal]]
    meaning: list[str]
    to_do: list[str]

    @property
    def filename(self) -> str:
        parts = [self.notice.kind, self.notice.issued_on.isoformat(), self.notice.letter_id or ""]
        return "-".join(part for part in parts if part) + ".pdf"


def _amounts(notice: Notice, shown: Amounts) -> list[tuple[str, Decimal]]:
    if shown == Amounts.REFUND:
        return [(_("Refund amount"), notice.amount)] if notice.amount is not None else []
    if shown == Amounts.PROPOSED:
        return [(_("Proposed amount you would owe"), notice.amount)] if notice.amount is not None else []
    if notice.period is None:
        return [(_("Amount due"), notice.amount)] if notice.amount is not None else []
    parts = period_payoff(notice.period, notice.issued_on).display()
    return [
        (_("Tax"), parts["tax"]),
        (_("Penalties"), parts["penalties"]),
        (_("Interest"), parts["interest"]),
        (_("Amount due"), parts["total"]),
    ]


def copy_of(notice: Notice) -> NoticeCopy:
    """The notice as it reads online and in its PDF."""
    wording = WORDING[notice.kind]
    amounts = _amounts(notice, wording.amounts)
    due = queries.respond_by(notice)
    values = {
        "amount": money(amounts[-1][1]) if amounts else "",
        "year": notice.period.label if notice.period else _("a past tax year"),
        "respond_by": formats.date_format(due) if due else "",
    }
    taxpayer = notice.taxpayer
    facts = [(_("Notice"), notice.kind), (_("Notice date"), formats.date_format(notice.issued_on))]
    if notice.period is not None:
        facts.append((_("Tax period"), notice.period.label))
    if notice.letter_id:
        facts.append((_("Letter ID"), notice.letter_id))
    facts.append((str(taxpayer.get_tin_type_display()), masked_tin(taxpayer.tin, taxpayer.tin_type)))
    if due is not None:
        facts.append((_("Respond by"), values["respond_by"]))
    return NoticeCopy(
        notice=notice,
        title=f"{notice.kind}: {notice.get_kind_display()}",
        facts=facts,
        amounts=amounts,
        meaning=[str(text) % values for text in wording.meaning],
        to_do=[str(text) % values for text in wording.to_do],
    )


def questions() -> str:
    contact = settings.TAXGOV_FEDERAL_CONTACT
    return _("Questions? Call us at %(phone)s, %(hours)s.") % {"phone": contact["phone"], "hours": contact["hours"]}


def notice_pdf(copy: NoticeCopy) -> bytes:
    notice, brand = copy.notice, settings.TAXGOV_BRAND
    recipient = [notice.taxpayer.display_name]
    address = current_address(notice.taxpayer)
    if address is not None:
        recipient += [address.line1, address.line2, f"{address.city}, {address.state} {address.postal_code}"]
    facts = [*copy.facts, *[(label, money(amount)) for label, amount in copy.amounts]]
    return PrintedLetter(
        title=copy.title,
        heading=str(brand["agency_name"]),
        subheading=copy.title,
        recipient=recipient,
        facts=facts,
        paragraphs=[
            _("What this notice means"),
            *copy.meaning,
            _("What you need to do"),
            *copy.to_do,
            questions(),
        ],
    ).pdf()
