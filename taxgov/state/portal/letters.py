"""Letters as PDF (reportlab): the agency's heading, the Letter ID, the date, the taxpayer's
name and address, and what the letter is about."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from taxgov.ledger.models import Address, Notice
from taxgov.state.portal.access import taxpayer_name


def letter_pdf(notice: Notice) -> bytes:
    styles = getSampleStyleSheet()
    brand = settings.TAXGOV_BRAND
    address = Address.objects.filter(taxpayer=notice.taxpayer, valid_to__isnull=True).order_by("-valid_from").first()
    lines = [taxpayer_name(notice.taxpayer)]
    if address is not None:
        lines += [address.line1, address.line2, f"{address.city}, {address.state} {address.postal_code}"]
    facts = [
        [_("Letter ID"), notice.letter_id or ""],
        [_("Date"), formats.date_format(notice.issued_on, "N j, Y")],
        [_("Letter"), str(notice.get_kind_display())],
    ]
    if notice.period is not None:
        facts.append([_("Tax period"), notice.period.label])
    if notice.amount is not None:
        facts.append([_("Amount"), f"${notice.amount:,.2f}"])
    table = Table(facts, colWidths=[1.6 * inch, 4.4 * inch])
    table.setStyle(
        TableStyle([("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)])
    )
    portal = settings.TAXGOV_STATE_PORTAL
    story = [
        Paragraph(escape(f"{brand['agency_name']}"), styles["Title"]),
        Paragraph(escape(str(brand["product_name"])), styles["Normal"]),
        Spacer(1, 0.3 * inch),
        *[Paragraph(escape(line), styles["Normal"]) for line in lines if line],
        Spacer(1, 0.3 * inch),
        table,
        Spacer(1, 0.3 * inch),
        Paragraph(
            escape(
                _("Questions? Call %(phone)s or toll-free %(toll_free)s, %(hours)s")
                % {"phone": portal["phone"], "toll_free": portal["toll_free"], "hours": portal["hours"]}
            ),
            styles["Normal"],
        ),
    ]
    buffer = io.BytesIO()
    title = f"{notice.get_kind_display()} {notice.letter_id or ''}".strip()
    SimpleDocTemplate(buffer, pagesize=LETTER, title=title, author=str(brand["agency_name"])).build(story)
    return buffer.getvalue()
