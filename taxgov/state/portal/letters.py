"""The state's letters as PDF: the agency's heading, the Letter ID, the date, the taxpayer's
name and address, and what the letter is about."""

from __future__ import annotations

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from taxgov.common.letters import PrintedLetter
from taxgov.ledger.models import Address, Notice
from taxgov.state.portal.access import taxpayer_name


def letter_pdf(notice: Notice) -> bytes:
    brand = settings.TAXGOV_BRAND
    address = Address.objects.filter(taxpayer=notice.taxpayer, valid_to__isnull=True).order_by("-valid_from").first()
    recipient = [taxpayer_name(notice.taxpayer)]
    if address is not None:
        recipient += [address.line1, address.line2, f"{address.city}, {address.state} {address.postal_code}"]
    facts = [
        (_("Letter ID"), notice.letter_id or ""),
        (_("Date"), formats.date_format(notice.issued_on, "N j, Y")),
        (_("Letter"), str(notice.get_kind_display())),
    ]
    if notice.period is not None:
        facts.append((_("Tax period"), notice.period.label))
    if notice.amount is not None:
        facts.append((_("Amount"), f"${notice.amount:,.2f}"))
    portal = settings.TAXGOV_STATE_PORTAL
    questions = _("Questions? Call %(phone)s or toll-free %(toll_free)s, %(hours)s") % {
        "phone": portal["phone"],
        "toll_free": portal["toll_free"],
        "hours": portal["hours"],
    }
    return PrintedLetter(
        title=f"{notice.get_kind_display()} {notice.letter_id or ''}".strip(),
        heading=str(brand["agency_name"]),
        subheading=str(brand["product_name"]),
        recipient=recipient,
        facts=facts,
        paragraphs=[questions],
    ).pdf()
