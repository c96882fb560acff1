"""Shared fixtures: real files in every format, written by the tests themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

BOARD_PARAGRAPHS = [
    ("heading", "1. Purpose of the report"),
    ("para", "The Board is asked to note the report. Two experts by experience sit on the Quality "
             "Committee with voting rights and co-chair its patient safety sub-group."),
    ("heading", "2. Lived experience partnership"),
    ("para", "Carers worked in partner-\nship with ward staff to redesign the discharge process. "
             "Twelve carers took part in four workshops in March 2024."),
    ("para", "The Trust paid each carer for their time at the NHS England rate."),
]


def make_pdf(path: Path, pages: list[list[tuple[str, str]]], *, header: str | None = "North Calder NHS "
             "Foundation Trust - Public Board 14 May 2024", numbers: bool = True) -> Path:
    """Write a PDF with fpdf2: a running header and a page number on every page."""
    from fpdf import FPDF

    class Paper(FPDF):
        def header(self):
            if header:
                self.set_font("Helvetica", size=8)
                self.cell(0, 6, header, new_x="LMARGIN", new_y="NEXT")
                self.ln(4)

        def footer(self):
            if numbers:
                self.set_y(-15)
                self.set_font("Helvetica", size=8)
                self.cell(0, 8, str(self.page_no()), align="C")

    pdf = Paper()
    pdf.set_auto_page_break(True, margin=20)
    for content in pages:
        pdf.add_page()
        for kind, text in content:
            if kind == "heading":
                pdf.set_font("Helvetica", "B", size=14)
                pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
            else:
                pdf.set_font("Helvetica", size=11)
                pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(5)
    pdf.output(str(path))
    return path


def make_docx(path: Path, items: list[tuple[str, str]]) -> Path:
    """Write a DOCX with python-docx; kinds: heading, para, bullet, number, pagebreak, table."""
    import docx

    document = docx.Document()
    document.core_properties.title = "Carers Strategy 2024"
    for kind, text in items:
        if kind == "heading":
            document.add_heading(text, level=1)
        elif kind == "bullet":
            document.add_paragraph(text, style="List Bullet")
        elif kind == "number":
            document.add_paragraph(text, style="List Number")
        elif kind == "pagebreak":
            document.add_page_break()
        elif kind == "table":
            rows = [r.split("|") for r in text.split("\n")]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell.strip()
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path


@pytest.fixture(scope="session")
def board_pdf(tmp_path_factory) -> Path:
    """A three-page board paper PDF with running headers, page numbers and a hyphenated break."""
    path = tmp_path_factory.mktemp("pdf") / "board_paper.pdf"
    page3 = [("heading", "3. Finance"), ("para", "The Trust reported a deficit of 2.1m against plan. "
                                                   "Agency spend fell by 14% in the quarter.")]
    return make_pdf(path, [BOARD_PARAGRAPHS[:2], BOARD_PARAGRAPHS[2:], page3])


@pytest.fixture(scope="session")
def nlp():
    from coprod_nlp.segment import load_nlp

    return load_nlp()
