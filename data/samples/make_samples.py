"""Render a few documents of the corpus's *test* split as real files (PDF, DOCX, HTML, Markdown),
so that demos, notebooks and the README run on documents the shipped model was not trained on.

    python data/samples/make_samples.py      # needs the dev extra (fpdf2, python-docx)
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from coprod_nlp.dataset import load_corpus  # noqa: E402

SAMPLES = {  # doc_id -> file name
    "w7-01": "fenwick_vale_coproduction_charter.html",
    "w2-23": "stanecliffe_community_mental_health_report.docx",
    "w1-19": "larkhill_short_breaks_board_paper.pdf",
    "w1-22": "quality_committee_minutes_march_2025.pdf",
    "w7-13": "ravensmoor_digital_strategy.md",
}


def blocks(sentences) -> list[tuple[str, str]]:
    """(kind, text) per paragraph: a heading when the sentence is its own section title."""
    out = []
    for _, group in sentences.groupby("paragraph", sort=True):
        text = " ".join(group["text"])
        first = group.iloc[0]
        kind = "heading" if len(group) == 1 and first["text"] == first["section"] else (
            "bullet" if text[:1] in "•-–*" else "para")
        out.append((kind, text.lstrip("•-–* ") if kind == "bullet" else text))
    return out


def write_pdf(path: Path, title: str, organisation: str, content) -> None:
    from fpdf import FPDF

    class Paper(FPDF):
        def header(self):
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, f"{organisation} - {title}"[:110], new_x="LMARGIN", new_y="NEXT")
            self.ln(3)

        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 8, f"Page {self.page_no()}", align="C")

    pdf = Paper()
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    for kind, text in content:
        text = text.replace("–", "-").replace("—", "-").replace("’", "'").replace("‘", "'").replace("“", '"') \
            .replace("”", '"').replace("…", "...").replace("•", "-").encode("latin-1", "replace").decode("latin-1")
        if kind == "heading":
            pdf.set_font("Helvetica", "B", size=13)
            pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        else:
            pdf.set_font("Helvetica", size=10.5)
            pdf.multi_cell(0, 5.5, ("- " if kind == "bullet" else "") + text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2.5)
    pdf.output(str(path))


def write_docx(path: Path, title: str, content) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    for kind, text in content:
        if kind == "heading":
            document.add_heading(text, level=1)
        elif kind == "bullet":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    document.save(str(path))


def write_html(path: Path, title: str, organisation: str, content) -> None:
    body = "".join(f"<h2>{html.escape(t)}</h2>" if k == "heading" else
                   (f"<ul><li>{html.escape(t)}</li></ul>" if k == "bullet" else f"<p>{html.escape(t)}</p>")
                   for k, t in content)
    path.write_text(
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
        f"<body><div class='cookie-banner'>We use cookies to make this site work. Accept all cookies.</div>"
        f"<header><nav><a href='/'>Home</a> | <a href='/about'>About {html.escape(organisation)}</a> | "
        f"<a href='/contact'>Contact</a></nav></header><main><h1>{html.escape(title)}</h1>{body}</main>"
        f"<footer>&copy; {html.escape(organisation)}. Accessibility statement. Privacy notice.</footer></body></html>",
        encoding="utf-8")


def write_markdown(path: Path, content) -> None:
    path.write_text("\n\n".join(("## " + t) if k == "heading" else (("- " + t) if k == "bullet" else t)
                                for k, t in content) + "\n", encoding="utf-8")


def main() -> None:
    documents, sentences = load_corpus()
    meta = documents.set_index("doc_id")
    for doc_id, name in SAMPLES.items():
        assert meta.loc[doc_id, "split"] == "test", f"{doc_id} must be a test-split document"
        content = blocks(sentences[sentences["doc_id"] == doc_id])
        title, organisation = meta.loc[doc_id, "title"], meta.loc[doc_id, "organisation"]
        path = HERE / name
        if path.suffix == ".pdf":
            write_pdf(path, title, organisation, content)
        elif path.suffix == ".docx":
            write_docx(path, title, content)
        elif path.suffix == ".html":
            write_html(path, title, organisation, content)
        else:
            write_markdown(path, content)
        print(f"{path.name}: {doc_id}, {len(content)} paragraphs")


if __name__ == "__main__":
    main()
