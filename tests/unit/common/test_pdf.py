"""The tagged PDF writer: real text a reader extracts in order, a structure tree with headings
and tables, metadata, and long tables carried over pages."""

from __future__ import annotations

import io

from pypdf import PdfReader

from taxgov.common.letters import PrintedLetter
from taxgov.common.pdf import Column, TaggedPdf


def build(rows: int) -> PdfReader:
    document = TaggedPdf(
        title="Tax account transcript, tax year 2024",
        author="Federal Revenue Service",
        subject="Request date",
        language="en-us",
        footer="Footer text",
    )
    document.heading("Tax account transcript", 1)
    document.paragraph("This product contains sensitive taxpayer data.")
    document.facts([("Request date", "Nov. 21, 2026")])
    document.heading("Transactions", 2)
    columns = (Column("Code", 0.2), Column("Explanation of transaction", 0.5), Column("Amount", 0.3, numeric=True))
    document.table(columns, [["150", f"Row {number}", f"${number}.00"] for number in range(rows)])
    return PdfReader(io.BytesIO(document.pdf()))


def tree(node):
    """Role names of the structure tree, depth first."""
    found = [str(node.get("/S"))] if "/S" in node else []
    for kid in node.get("/K", []):
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "get") and kid.get("/Type") == "/StructElem":
            found += tree(kid)
    return found


def test_the_text_is_real_text_in_reading_order():
    reader = build(3)
    text = reader.pages[0].extract_text()
    assert text.index("Tax account transcript") < text.index("Request date") < text.index("Row 2")
    assert reader.metadata.title == "Tax account transcript, tax year 2024"
    assert reader.metadata.author == "Federal Revenue Service"


def test_the_document_is_tagged_with_headings_and_tables():
    reader = build(3)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-us"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    document = root["/StructTreeRoot"]["/K"].get_object()
    roles = tree(document)
    assert roles[:5] == ["/Document", "/H1", "/P", "/Table", "/TR"]
    assert roles.count("/H2") == 1
    assert roles.count("/TH") == 1 + 3  # one row header, three column headers
    assert roles.count("/TD") == 1 + 3 * 3


def test_a_long_table_continues_on_more_pages_each_tied_to_the_tree():
    reader = build(120)
    assert len(reader.pages) > 2
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Row 0" in text
    assert "Row 119" in text
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    assert [page["/StructParents"] for page in reader.pages] == list(range(len(reader.pages)))
    assert nums[::2] == list(range(len(reader.pages)))


def test_a_printed_letter_is_a_tagged_pdf_too():
    letter = PrintedLetter(
        title="Notice CP14",
        heading="Federal Revenue Service",
        subheading="Balance due",
        recipient=["Pat Kim", "", "12 Main Street", "Medford MA 02155"],
        facts=[("Notice", "CP14"), ("Social Security number", "XXX-XX-1234")],
        paragraphs=["You owe $120.00 for 2025."],
    )
    reader = PdfReader(io.BytesIO(letter.pdf()))
    assert reader.metadata.title == "Notice CP14"
    assert tree(reader.trailer["/Root"]["/StructTreeRoot"]["/K"].get_object())[:3] == ["/Document", "/H1", "/P"]
    text = reader.pages[0].extract_text()
    for line in ("Federal Revenue Service", "Pat Kim", "Medford MA 02155", "XXX-XX-1234", "You owe $120.00 for 2025."):
        assert line in text
