"""Letters on paper: one layout (the tagged PDF writer) for every letter a deployable prints,
mails or offers as a download.

A ``PrintedLetter`` says what the letter holds: the agency's heading, the recipient's name
and address where a window envelope shows them, a table of facts (a Letter ID, a date, a
code) and paragraphs. It renders to PDF for the printer and to plain text for the
development outbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import translation

from taxgov.common.pdf import TaggedPdf


@dataclass(frozen=True)
class PrintedLetter:
    title: str  # the document's title (the PDF's metadata)
    heading: str  # the agency
    subheading: str
    recipient: Sequence[str]  # name, then the address lines
    facts: Sequence[tuple[str, str]]
    paragraphs: Sequence[str]

    def pdf(self) -> bytes:
        """A tagged PDF (structure tree, real text, the document's language), so the copy a
        person downloads reads in order with a screen reader."""
        document = TaggedPdf(
            title=self.title,
            author=self.heading,
            subject=self.subheading,
            language=translation.get_language() or "en",
            footer=self.title,
        )
        document.heading(self.heading)
        document.paragraph(self.subheading)
        for line in self.recipient:
            if line:
                document.paragraph(line)
        document.facts(self.facts, label_width=0.3)
        for paragraph in self.paragraphs:
            document.paragraph(paragraph)
        return document.pdf()

    def text(self) -> str:
        lines = [self.heading, self.subheading, "", *[line for line in self.recipient if line], ""]
        lines += [f"{label}: {value}" for label, value in self.facts]
        for paragraph in self.paragraphs:
            lines += ["", paragraph]
        return "\n".join(lines) + "\n"
