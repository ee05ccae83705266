"""Letters on paper: one layout (reportlab) for every letter a deployable prints or mails.

A ``PrintedLetter`` says what the letter holds: the agency's heading, the recipient's name
and address where a window envelope shows them, a table of facts (a Letter ID, a date, a
code) and paragraphs. It renders to PDF for the printer and to plain text for the
development outbox.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


@dataclass(frozen=True)
class PrintedLetter:
    title: str  # the document's title (the PDF's metadata)
    heading: str  # the agency
    subheading: str
    recipient: Sequence[str]  # name, then the address lines
    facts: Sequence[tuple[str, str]]
    paragraphs: Sequence[str]

    def pdf(self) -> bytes:
        styles = getSampleStyleSheet()
        table = Table([list(fact) for fact in self.facts], colWidths=[1.6 * inch, 4.4 * inch])
        table.setStyle(
            TableStyle([("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)])
        )
        story = [
            Paragraph(escape(self.heading), styles["Title"]),
            Paragraph(escape(self.subheading), styles["Normal"]),
            Spacer(1, 0.3 * inch),
            *[Paragraph(escape(line), styles["Normal"]) for line in self.recipient if line],
            Spacer(1, 0.3 * inch),
            table,
        ]
        for paragraph in self.paragraphs:
            story += [Spacer(1, 0.2 * inch), Paragraph(escape(paragraph), styles["Normal"])]
        buffer = io.BytesIO()
        SimpleDocTemplate(buffer, pagesize=LETTER, title=self.title, author=self.heading).build(story)
        return buffer.getvalue()

    def text(self) -> str:
        lines = [self.heading, self.subheading, "", *[line for line in self.recipient if line], ""]
        lines += [f"{label}: {value}" for label, value in self.facts]
        for paragraph in self.paragraphs:
            lines += ["", paragraph]
        return "\n".join(lines) + "\n"
