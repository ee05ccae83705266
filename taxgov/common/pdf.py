"""A small writer of tagged PDF documents, for transcripts, notices and letters.

Every piece of text is real text inside marked content that belongs to an element of the
document's structure tree (Document, then H1 and H2, P and Table, whose rows hold TH and TD
cells), so a screen reader reads a transcript in order, with its headings and tables, and
text tools extract it as written. Table rules, repeated table headers and page numbers are
marked as artifacts. reportlab draws the pages; its open-source edition writes no structure
tree, so this module adds one (ISO 32000-1, section 14.7).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName
from reportlab.pdfgen.canvas import Canvas

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 0.75 * inch
WIDTH = PAGE_WIDTH - 2 * MARGIN
FOOTER_SPACE = 0.4 * inch
FONT, BOLD = "Helvetica", "Helvetica-Bold"
TEXT_SIZE = 9.5
HEADING_SIZES = {1: 16.0, 2: 12.5}
CELL_PADDING = 3.0


def _document_of(canvas: Canvas) -> Any:
    """reportlab's document object behind a canvas: the pages, the catalog, object references."""
    return canvas._doc  # type: ignore[attr-defined]


@dataclass
class _Element:
    """A node of the structure tree; a leaf holds the marked content drawn for it."""

    role: str
    attributes: dict[str, str] = field(default_factory=dict)
    children: list[_Element] = field(default_factory=list)
    marks: list[tuple[int, int]] = field(default_factory=list)  # (page index, MCID)


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # a fraction of the text width
    numeric: bool = False  # right-aligned


class TaggedPdf:
    """Headings, paragraphs and tables, top to bottom, onto as many pages as they need."""

    def __init__(self, *, title: str, author: str, subject: str, language: str, footer: str) -> None:
        self._buffer = io.BytesIO()
        self._canvas = Canvas(self._buffer, pagesize=LETTER, lang=language, pageCompression=1)
        self._canvas.setTitle(title)
        self._canvas.setAuthor(author)
        self._canvas.setCreator(author)
        self._canvas.setSubject(subject)
        self._canvas.setViewerPreference("DisplayDocTitle", "true")
        self._document = _Element("Document")
        self._footer = footer
        self._page_refs = [_document_of(self._canvas).thisPageRef()]
        self._owners: list[list[_Element]] = [[]]  # per page, the element of each MCID
        self._y = PAGE_HEIGHT - MARGIN

    # --- content ---------------------------------------------------------------------------

    def heading(self, text: str, level: int = 1) -> None:
        size = HEADING_SIZES[level]
        lines = simpleSplit(text, BOLD, size, WIDTH)
        self._fit(len(lines) * size * 1.25 + size, keep_with_next=size * 3)
        self._y -= size * 0.5
        self._text_block(f"H{level}", lines, BOLD, size)
        self._y -= size * 0.35

    def paragraph(self, text: str, *, bold: bool = False) -> None:
        font = BOLD if bold else FONT
        lines = simpleSplit(text, font, TEXT_SIZE, WIDTH)
        self._fit(len(lines) * TEXT_SIZE * 1.3 + 4)
        self._text_block("P", lines, font, TEXT_SIZE)
        self._y -= 4

    def facts(self, rows: Sequence[tuple[str, str]], *, label_width: float = 0.4) -> None:
        """Label and value pairs: a table whose first column heads each row."""
        columns = (Column("", label_width), Column("", 1 - label_width))
        table = _Element("Table")
        self._document.children.append(table)
        for label, value in rows:
            self._row(table, columns, [label, value], header=False, row_headers=True)
        self._y -= 6

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
        """A table with a header row, repeated (as an artifact) on each page it continues on."""
        table = _Element("Table")
        self._document.children.append(table)
        self._row(table, columns, [column.header for column in columns], header=True)
        for row in rows:
            self._row(table, columns, list(row), header=False, repeat_header=True)
        self._y -= 6

    def pdf(self) -> bytes:
        self._page_number()
        self._canvas.showPage()
        self._structure()
        self._canvas.save()
        return self._buffer.getvalue()

    # --- layout ----------------------------------------------------------------------------

    def _room(self) -> float:
        return self._y - MARGIN - FOOTER_SPACE

    def _fit(self, height: float, keep_with_next: float = 0) -> bool:
        """Start a new page unless ``height`` (and what must stay with it) fits; True if it did."""
        if height + keep_with_next > self._room():
            self._new_page()
            return True
        return False

    def _new_page(self) -> None:
        self._page_number()
        self._canvas.showPage()
        self._page_refs.append(_document_of(self._canvas).thisPageRef())
        self._owners.append([])
        self._y = PAGE_HEIGHT - MARGIN

    def _page_number(self) -> None:
        page = len(self._page_refs)
        self._canvas.addLiteral("/Artifact <</Type /Pagination>> BDC")
        self._canvas.setFont(FONT, 8)
        self._canvas.drawString(MARGIN, MARGIN, self._footer)
        self._canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN, str(page))
        self._canvas.addLiteral("EMC")

    def _text_block(self, role: str, lines: Sequence[str], font: str, size: float) -> None:
        element = _Element(role)
        self._document.children.append(element)

        def draw() -> None:
            self._canvas.setFont(font, size)
            for line in lines:
                self._y -= size * 1.25
                self._canvas.drawString(MARGIN, self._y, line)

        self._marked(element, draw)

    def _marked(self, element: _Element, draw: Callable[[], None]) -> None:
        page = len(self._page_refs) - 1
        mcid = len(self._owners[page])
        self._canvas.addLiteral(f"/{element.role} <</MCID {mcid}>> BDC")
        draw()
        self._canvas.addLiteral("EMC")
        self._owners[page].append(element)
        element.marks.append((page, mcid))

    @staticmethod
    def _cell_lines(columns: Sequence[Column], cells: Sequence[str], fonts: Sequence[str]) -> list[list[str]]:
        return [
            simpleSplit(text, font, TEXT_SIZE, column.width * WIDTH - 2 * CELL_PADDING) or [""]
            for column, text, font in zip(columns, cells, fonts, strict=True)
        ]

    @staticmethod
    def _height(lines: Sequence[Sequence[str]]) -> float:
        """The height of a row whose cells hold these lines."""
        return max(len(each) for each in lines) * TEXT_SIZE * 1.25 + 2 * CELL_PADDING

    def _row(
        self,
        table: _Element,
        columns: Sequence[Column],
        cells: list[str],
        *,
        header: bool,
        row_headers: bool = False,
        repeat_header: bool = False,
    ) -> None:
        """One row; on a new page, with ``repeat_header``, the table's header row comes first."""
        fonts = [BOLD if header or (row_headers and index == 0) else FONT for index in range(len(columns))]
        lines = self._cell_lines(columns, cells, fonts)
        height = self._height(lines)
        if self._fit(height, keep_with_next=height if header else 0) and repeat_header:
            self._header_artifact(columns)
        row = _Element("TR")
        table.children.append(row)
        top, x = self._y, MARGIN
        for index, (column, text_lines, font) in enumerate(zip(columns, lines, fonts, strict=True)):
            width = column.width * WIDTH
            if header:
                cell = _Element("TH", {"O": "Table", "Scope": "Column"})
            elif row_headers and index == 0:
                cell = _Element("TH", {"O": "Table", "Scope": "Row"})
            else:
                cell = _Element("TD")
            row.children.append(cell)
            self._marked(cell, self._cell_drawer(text_lines, font, x, width, top, column.numeric))
            x += width
        self._y = top - height
        self._rule(self._y, heavy=header)

    def _cell_drawer(
        self, lines: Sequence[str], font: str, x: float, width: float, top: float, numeric: bool
    ) -> Callable[[], None]:
        def draw() -> None:
            self._canvas.setFont(font, TEXT_SIZE)
            y = top - CELL_PADDING
            for line in lines:
                y -= TEXT_SIZE * 1.25
                if numeric:
                    self._canvas.drawRightString(x + width - CELL_PADDING, y + 2, line)
                else:
                    self._canvas.drawString(x + CELL_PADDING, y + 2, line)

        return draw

    def _header_artifact(self, columns: Sequence[Column]) -> None:
        """The header row again at the top of a page a table continues on, for sighted readers."""
        cells = [column.header for column in columns]
        lines = self._cell_lines(columns, cells, [BOLD] * len(columns))
        height = self._height(lines)
        self._canvas.addLiteral("/Artifact BMC")
        x = MARGIN
        for column, text_lines in zip(columns, lines, strict=True):
            self._cell_drawer(text_lines, BOLD, x, column.width * WIDTH, self._y, column.numeric)()
            x += column.width * WIDTH
        self._canvas.addLiteral("EMC")
        self._y -= height
        self._rule(self._y, heavy=True)

    def _rule(self, y: float, *, heavy: bool) -> None:
        self._canvas.addLiteral("/Artifact BMC")
        self._canvas.setLineWidth(0.8 if heavy else 0.25)
        self._canvas.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)
        self._canvas.addLiteral("EMC")

    # --- structure tree --------------------------------------------------------------------

    def _structure(self) -> None:
        """Write the structure tree, the parent tree (MCID -> element, per page) and the marks
        on the catalog and the pages that tell a reader the document is tagged."""
        document = _document_of(self._canvas)
        root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        root_ref = document.Reference(root)
        refs: dict[int, object] = {}

        def add(element: _Element, parent: object) -> object:
            node = PDFDictionary({"Type": PDFName("StructElem"), "S": PDFName(element.role), "P": parent})
            ref = document.Reference(node)
            refs[id(element)] = ref
            if element.attributes:
                node["A"] = PDFDictionary({key: PDFName(value) for key, value in element.attributes.items()})
            kids: list[object] = [add(child, ref) for child in element.children]
            kids += [
                PDFDictionary({"Type": PDFName("MCR"), "Pg": self._page_refs[page], "MCID": mcid})
                for page, mcid in element.marks
            ]
            node["K"] = PDFArray(kids)
            return ref

        root["K"] = add(self._document, root_ref)
        numbers: list[object] = []
        for page, owners in enumerate(self._owners):
            numbers += [page, PDFArray([refs[id(owner)] for owner in owners])]
        root["ParentTree"] = document.Reference(PDFDictionary({"Nums": PDFArray(numbers)}))
        root["ParentTreeNextKey"] = len(self._owners)
        document.Catalog.StructTreeRoot = root
        document.Catalog.MarkInfo = PDFDictionary({"Marked": "true"})
        for number, page in enumerate(document.Pages.pages):
            page.StructParents = number
            page.Tabs = PDFName("S")
            page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
