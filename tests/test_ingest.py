"""Ingestion of every format into blocks with provenance, and every kind of bad input."""

from __future__ import annotations

import logging

import pytest

from coprod_nlp.errors import IngestError
from coprod_nlp.ingest import read, read_text
from coprod_nlp.segment import segment

from .conftest import make_docx, make_pdf


def texts(doc):
    return [b.text for b in doc.blocks]


def test_plain_text_paragraphs_headings_bullets_tables(tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text(
        "Quality Committee\n\n3.2.1 Patient experience\n"
        "The committee received the report from the Head of\nPatient Experience. Members noted it.\n"
        "• Carers co-chair the panel\n• 14 complaints were received\n\n"
        "Indicator\tTarget\tQ2\nFFT response\t25%\t18%\n", encoding="utf-8")
    doc = read(path)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Quality Committee"),
        ("heading", "3.2.1 Patient experience"),
        ("paragraph", "The committee received the report from the Head of Patient Experience. Members noted it."),
        ("list_item", "• Carers co-chair the panel"),
        ("list_item", "• 14 complaints were received"),
        ("table_row", "Indicator | Target | Q2"),
        ("table_row", "FFT response | 25% | 18%"),
    ]
    assert doc.blocks[2].section == "3.2.1 Patient experience"
    assert all(doc.text[b.start:b.end] == b.text for b in doc.blocks)
    assert all(b.page is None for b in doc.blocks)


def test_markdown_structure(tmp_path):
    path = tmp_path / "strategy.md"
    path.write_text("# Our strategy\n\nWe **value** the [voice](http://x) of carers.\nIt matters.\n\n"
                    "## 2. How we will do it\n\n- Pay people for their time\n- Co-chair the board\n\n"
                    "| Action | Lead |\n|---|---|\n| Panel | Jo |\n", encoding="utf-8")
    doc = read(path)
    assert [(b.kind, b.text, b.section) for b in doc.blocks] == [
        ("heading", "Our strategy", "Our strategy"),
        ("paragraph", "We value the voice of carers. It matters.", "Our strategy"),
        ("heading", "2. How we will do it", "2. How we will do it"),
        ("list_item", "Pay people for their time", "2. How we will do it"),
        ("list_item", "Co-chair the board", "2. How we will do it"),
        ("table_row", "Action | Lead", "2. How we will do it"),
        ("table_row", "Panel | Jo", "2. How we will do it"),
    ]


HTML_PAGE = """<!DOCTYPE html><html><head><title>Get involved | Harbourside Homes</title></head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience. Accept all cookies.</div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/about">About us</a></li></ul></nav></header>
<main><h1>Get involved</h1>
<p>Our tenant scrutiny panel decides which services to review each year. Panel members are paid for their time.</p>
<h2>What the panel did in 2024</h2>
<ul><li>Reviewed the repairs service and made 12 recommendations.</li><li>Agreed the complaints policy with the Board.</li></ul>
<p>Email us with &lt;script&gt;alert(1)&lt;/script&gt; in the subject if you want to join.</p></main>
<footer>&copy; 2024 Harbourside Homes. Registered society 12345. Privacy policy.</footer></body></html>"""


def test_html_main_content_only(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    doc = read(path)
    joined = " ".join(texts(doc))
    assert "scrutiny panel decides" in joined
    assert "Reviewed the repairs service and made 12 recommendations." in texts(doc)
    for junk in ("cookies", "About us", "Registered society", "Privacy policy"):
        assert junk not in joined
    assert doc.title.startswith("Get involved")
    item = next(b for b in doc.blocks if b.text.startswith("Reviewed"))
    assert item.kind == "list_item" and item.section == "What the panel did in 2024"
    assert "<script>alert(1)</script>" in joined  # markup in text is kept as text, not dropped


def test_pdf_pages_headers_hyphenation(board_pdf):
    doc = read(board_pdf)
    assert doc.pages == 3
    joined = " ".join(texts(doc))
    assert "North Calder" not in joined  # running header dropped on every page
    assert not any(b.text.strip().isdigit() for b in doc.blocks)  # bare page numbers dropped
    assert "partnership with ward staff" in joined  # hyphenated line break re-joined
    sentences = segment(doc)
    by_text = {s.text: s for s in sentences}
    first = by_text["The Board is asked to note the report."]
    assert (first.page, first.section) == (1, "1. Purpose of the report")
    carers = next(s for s in sentences if s.text.startswith("Carers worked"))
    assert carers.page == 2 and carers.section == "2. Lived experience partnership"
    assert carers.text == "Carers worked in partnership with ward staff to redesign the discharge process."
    assert by_text["Agency spend fell by 14% in the quarter."].page == 3
    assert all(doc.text[s.start:s.end] == s.text for s in sentences)


def test_pdf_paragraph_continues_across_pages(tmp_path):
    long = " ".join(f"Patients and carers on panel {i} reviewed every leaflet the ward produced and agreed "
                    "the changes with the matron before anything was printed." for i in range(70))
    path = make_pdf(tmp_path / "long.pdf", [[("para", long)]])
    doc = read(path)
    assert doc.pages >= 2
    assert "North Calder" not in " ".join(texts(doc))
    sentences = segment(doc)
    assert {s.page for s in sentences} >= {1, 2}
    assert all(s.text.startswith("Patients and carers") for s in sentences)


def test_docx_bullets_headings_tables_pages(tmp_path):
    path = make_docx(tmp_path / "strategy.docx", [
        ("heading", "Our promises to carers"),
        ("para", "We will pay carers for their time. Carers will co-chair the Carers Partnership Board."),
        ("bullet", "Peer support groups in every locality"),
        ("bullet", "A carers' budget held by the carers' forum"),
        ("pagebreak", ""),
        ("heading", "How we will know"),
        ("table", "Measure|Target\nCarers on the board|4"),
    ])
    doc = read(path)
    assert [(b.kind, b.text, b.page) for b in doc.blocks] == [
        ("heading", "Our promises to carers", 1),
        ("paragraph", "We will pay carers for their time. Carers will co-chair the Carers Partnership Board.", 1),
        ("list_item", "Peer support groups in every locality", 1),
        ("list_item", "A carers' budget held by the carers' forum", 1),
        ("heading", "How we will know", 2),
        ("table_row", "Measure | Target", 2),
        ("table_row", "Carers on the board | 4", 2),
    ]
    assert doc.title == "Carers Strategy 2024"
    assert [s.text for s in segment(doc)][:3] == [
        "Our promises to carers", "We will pay carers for their time.",
        "Carers will co-chair the Carers Partnership Board."]


def test_docx_without_page_breaks_has_no_pages(tmp_path):
    doc = read(make_docx(tmp_path / "a.docx", [("para", "One paragraph only.")]))
    assert doc.blocks[0].page is None and doc.pages is None


# --- bad input -------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        read(tmp_path / "nope.pdf")


def test_directory(tmp_path):
    with pytest.raises(IngestError, match="is a directory"):
        read(tmp_path)


def test_empty_file_warns_and_is_empty(tmp_path, caplog):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with caplog.at_level(logging.WARNING):
        doc = read(path)
    assert doc.blocks == [] and "empty file" in doc.warnings[0]
    assert "empty file" in caplog.text


def test_whitespace_only_file_warns(tmp_path):
    path = tmp_path / "blank.md"
    path.write_text("\n\n   \n", encoding="utf-8")
    doc = read(path)
    assert doc.blocks == [] and "no text found" in doc.warnings[0]


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not really a pdf\n")
    with pytest.raises(IngestError, match="corrupt or unreadable PDF"):
        read(path)


def test_truncated_pdf(tmp_path, board_pdf):
    path = tmp_path / "truncated.pdf"
    path.write_bytes(board_pdf.read_bytes()[:600])
    with pytest.raises(IngestError, match="PDF"):
        read(path)


def test_encrypted_pdf(tmp_path, board_pdf):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(board_pdf))
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    with pytest.raises(IngestError, match="encrypted PDF: it needs a password"):
        read(path)


def test_scanned_pdf_without_text_layer(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.set_fill_color(120, 120, 120)
        pdf.rect(20, 20, 170, 250, style="F")  # a page that is only a picture
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    doc = read(path)
    assert doc.blocks == []
    assert "no text layer" in doc.warnings[0] and "OCR" in doc.warnings[0]


def test_extension_lies_html_named_pdf(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_text(HTML_PAGE, encoding="utf-8")
    doc = read(path)
    assert doc.format == "html"
    assert "extension says pdf but the content is html" in doc.warnings[0]
    assert any("scrutiny panel" in t for t in texts(doc))


def test_extension_lies_pdf_named_txt(tmp_path, board_pdf):
    path = tmp_path / "notes.txt"
    path.write_bytes(board_pdf.read_bytes())
    doc = read(path)
    assert doc.format == "pdf" and doc.pages == 3


def test_binary_garbage_named_txt(tmp_path):
    path = tmp_path / "data.txt"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(IngestError, match="binary data, not text"):
        read(path)


def test_legacy_doc_and_zip(tmp_path):
    doc_path = tmp_path / "old.doc"
    doc_path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(IngestError, match="legacy binary Office format"):
        read(doc_path)
    import zipfile

    zip_path = tmp_path / "bundle.docx"
    with zipfile.ZipFile(zip_path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(IngestError, match="not a Word document"):
        read(zip_path)


def test_corrupt_docx(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04" + b"garbage" * 100)
    with pytest.raises(IngestError, match="corrupt"):
        read(path)


TEXT = "Carers’ views shaped the café’s menu – we paid £20 per session.\n"


def test_cp1252_text(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes(TEXT.encode("cp1252"))
    doc = read(path)
    assert doc.blocks[0].text == TEXT.strip()
    assert "decoded as Windows-1252" in doc.warnings[0]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_utf16_and_bom_text(tmp_path, encoding):
    path = tmp_path / "unicode.txt"
    path.write_bytes(TEXT.encode(encoding))
    assert read(path).blocks[0].text == TEXT.strip()


def test_huge_text_file_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.txt"
    line = b"The Board noted the finance report and the risk register for the quarter. " * 10 + b"\n"
    with open(path, "wb") as fh:
        for _ in range(50_000_000 // len(line) + 1):
            fh.write(line)
    assert path.stat().st_size >= 50_000_000
    with pytest.raises(IngestError, match=r"file too large \(50\.\d MB > limit 20\.0 MB\)"):
        read(path)


def test_overlong_block_is_cut_into_bounded_pieces():
    from coprod_nlp.document import MAX_BLOCK_CHARS

    text = "Residents chose how the budget was spent. " * 5000  # one paragraph of 210,000 characters
    doc = read_text(text)
    assert len(doc.blocks) > 1 and all(len(b.text) <= MAX_BLOCK_CHARS for b in doc.blocks)
    assert all(b.text.endswith("spent.") for b in doc.blocks)


def test_read_text_rejects_non_strings():
    with pytest.raises(TypeError):
        read_text(b"bytes")
