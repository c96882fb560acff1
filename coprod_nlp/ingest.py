"""Read plain text, Markdown, HTML, PDF and DOCX files into one :class:`~coprod_nlp.document.Document`.

One public function per entry point: :func:`read` for a file (the format is sniffed from the
content, not trusted from the extension) and :func:`read_text` for a string. Each reader turns
its format into :class:`~coprod_nlp.document.Unit` objects (headings, paragraphs, list items,
table rows, with PDF page numbers); :func:`~coprod_nlp.document.build_document` adds sections and
offsets. Bad input raises :class:`~coprod_nlp.errors.IngestError` with a one-line message, or,
where an empty result is the honest answer (a scanned PDF, an empty file), returns an empty
document with a warning.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import statistics
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .document import Document, Unit, build_document
from .errors import CoprodError, IngestError

log = logging.getLogger(__name__)

FORMATS = ("text", "markdown", "html", "pdf", "docx")

#: Largest file read by default, per format, in bytes (binary formats hold images, so allow more).
MAX_BYTES = {"text": 20_000_000, "markdown": 20_000_000, "html": 20_000_000,
             "pdf": 200_000_000, "docx": 100_000_000}

_SUFFIX_FORMAT = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                  ".htm": "html", ".html": "html", ".xhtml": "html", ".pdf": "pdf", ".docx": "docx"}

#: File extensions read as documents.
SUFFIXES = tuple(_SUFFIX_FORMAT)

_BULLET = r"[•●▪◦‣∙·○■□➢►✓⁃\-–—*]"
#: A line that starts a list item: a bullet, "(a)", "a)", "(iv)", "1)" or "1." followed by text.
_ITEM_RE = re.compile(rf"^(?:{_BULLET}\s*|\(?(?:[a-z]|[ivx]{{1,4}}|\d{{1,2}})\)\s+|[a-z]\.\s+|\d{{1,2}}\.\s+)")
#: A line that starts a numbered paragraph such as "3.2", "3.2.1" or "12.".
_NUMBERED_RE = re.compile(r"^\d{1,3}(?:\.\d{1,3})+\.?\s+\S")
_PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_TERMINAL = ".!?:;,"
#: Prefixes whose hyphen is kept when a word is broken across lines ("co-production").
_KEEP_HYPHEN = {"co", "non", "self", "well", "cross", "multi", "inter", "long", "short", "pre", "post",
                "anti", "ex", "part", "full", "user", "peer", "person", "strengths", "carer", "high",
                "low", "mid", "sub", "semi", "lived", "age", "co-produced"}
_SOFT_HYPHENS = "\ufffe\u00ad\x02"


@dataclass
class Line:
    """One line of a page: its text, whether a paragraph gap precedes it, whether its type is large."""

    text: str
    gap_before: bool = False
    large: bool = False


# ---------------------------------------------------------------------------------------------
# entry points


def read(path: str | Path, *, max_bytes: int | None = None) -> Document:
    """Read a file into a :class:`Document`.

    Parameters
    ----------
    path:
        A ``.txt``, ``.md``, ``.html``, ``.pdf`` or ``.docx`` file. The format is sniffed from the
        content; a misleading extension is logged as a warning and the real format is read.
    max_bytes:
        Refuse files larger than this (default: :data:`MAX_BYTES` for the sniffed format).

    Raises
    ------
    IngestError
        The file is missing, unreadable, too large, corrupt, encrypted or of an unsupported type.

    Example
    -------
    >>> doc = read("board_paper.pdf")                      # doctest: +SKIP
    >>> doc.blocks[0].page, doc.blocks[0].section          # doctest: +SKIP
    (1, '1. Purpose of the report')
    """
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise IngestError(f"{source}: no such file")
    if path.is_dir():
        raise IngestError(f"{source}: is a directory, not a document")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise IngestError(f"{source}: cannot be read ({exc.strerror or exc})") from None
    fmt = _sniff(head, path)
    limit = max_bytes if max_bytes is not None else MAX_BYTES[fmt]
    if size > limit:
        raise IngestError(
            f"{source}: file too large ({size / 1e6:.1f} MB > limit {limit / 1e6:.1f} MB); "
            "raise the limit with max_bytes / --max-bytes if you mean it")
    warnings: list[str] = []
    claimed = _SUFFIX_FORMAT.get(path.suffix.lower())
    if claimed and claimed != fmt and {claimed, fmt} != {"text", "markdown"}:
        warnings.append(f"{source}: the extension says {claimed} but the content is {fmt}; read as {fmt}")
    if size == 0:
        warnings.append(f"{source}: empty file")
        return _finish(build_document(source, fmt, [], warnings=warnings))
    data = path.read_bytes()
    reader = _READERS[fmt]
    try:
        doc = reader(data, source, warnings)
    except CoprodError:  # our own errors (and a time limit) pass through unchanged
        raise
    except MemoryError:
        raise IngestError(f"{source}: out of memory while reading the {fmt} file") from None
    except Exception as exc:  # a reader library failing on malformed input
        raise IngestError(f"{source}: could not read the {fmt} file ({type(exc).__name__}: {exc})") from None
    return _finish(doc)


def read_text(text: str, source: str = "<text>", *, markdown: bool = False) -> Document:
    """Read a string of plain text (or Markdown) into a :class:`Document`.

    Blank lines separate paragraphs; short lines without closing punctuation become headings;
    bulleted and numbered lines become list items.
    """
    if not isinstance(text, str):
        raise TypeError(f"read_text expects a str, got {type(text).__name__}")
    warnings: list[str] = []
    if markdown:
        return _finish(_markdown_document(text, source, warnings))
    return _finish(build_document(source, "text", text_units(text), warnings=warnings))


def _finish(doc: Document) -> Document:
    for message in doc.warnings:
        log.warning(message)
    if not doc.blocks and not doc.warnings:
        doc.warnings.append(f"{doc.source}: no text found")
        log.warning(doc.warnings[-1])
    return doc


# ---------------------------------------------------------------------------------------------
# format sniffing and decoding


def _sniff(head: bytes, path: Path) -> str:
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError):
            raise IngestError(f"{path}: corrupt ZIP container (a damaged DOCX?)") from None
        if "word/document.xml" in names:
            return "docx"
        raise IngestError(f"{path}: a ZIP archive that is not a Word document; unsupported")
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise IngestError(f"{path}: legacy binary Office format (.doc/.xls); save it as DOCX or PDF")
    if head[:4] in (b"\x89PNG", b"GIF8") or head[:3] == b"\xff\xd8\xff":
        raise IngestError(f"{path}: an image, not a document; OCR is not supported")
    sample = _decode(head, str(path), [], strict_binary=False)
    if re.search(r"<\s*(?:!doctype\s+html|html[\s>]|body[\s>]|head[\s>])", sample[:4000], re.I):
        return "html"
    if path.suffix.lower() in (".md", ".markdown"):
        return "markdown"
    return "text"


def _decode(data: bytes, source: str, warnings: list[str], *, strict_binary: bool = True) -> str:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16, or else Windows-1252, with a warning."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif len(data) >= 4 and data[1::2].count(0) > len(data) // 4 and data[0::2].count(0) < len(data) // 8:
        text = data.decode("utf-16-le", errors="replace")
        warnings.append(f"{source}: UTF-16 (little-endian) text without a byte-order mark")
    elif len(data) >= 4 and data[0::2].count(0) > len(data) // 4 and data[1::2].count(0) < len(data) // 8:
        text = data.decode("utf-16-be", errors="replace")
        warnings.append(f"{source}: UTF-16 (big-endian) text without a byte-order mark")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            if strict_binary:
                warnings.append(f"{source}: not valid UTF-8; decoded as Windows-1252 (cp1252)")
    if strict_binary:
        controls = sum(1 for ch in text[:100_000] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
        if controls > max(8, len(text[:100_000]) // 100):
            raise IngestError(f"{source}: binary data, not text (and not PDF, DOCX or HTML)")
    return text


# ---------------------------------------------------------------------------------------------
# plain text: lines to units (shared with the PDF reader)


def text_units(text: str, page: int | None = None) -> list[Unit]:
    """Split plain text into units: blank lines separate paragraphs, and within a paragraph
    bullets, numbered paragraphs, table rows and heading-like lines start units of their own."""
    lines: list[Line] = []
    gap = False
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            gap = True
            continue
        lines.append(Line(raw.rstrip(), gap_before=gap))
        gap = False
    return lines_to_units(lines, page)


def _is_table_row(text: str) -> bool:
    return "\t" in text.strip() or " | " in text or len(re.findall(r"\S {3,}\S", text)) >= 2


def _looks_like_heading(line: Line, next_line: Line | None, alone: bool) -> bool:
    text = line.text.strip()
    words = text.split()
    if not words or len(words) > 15 or text[-1] in _TERMINAL or text.startswith(("(", "'", '"')):
        return False
    first = text.lstrip("#").lstrip()[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    if line.large or alone:
        return True
    if next_line is None or next_line.gap_before:
        return False
    nxt = next_line.text.strip()
    numbered = bool(re.match(r"^\d{1,3}(?:\.\d{1,3})*\.?\s+[A-Z]", text))
    opens = nxt[:1].isupper() or nxt[:1].isdigit() or bool(_ITEM_RE.match(nxt))
    return opens and (numbered or len(words) <= 8)


def _join(lines: list[str]) -> str:
    """Join wrapped lines, re-joining words hyphenated across the line break."""
    parts: list[str] = []
    for line in lines:
        line = line.strip()
        if parts and line[:1].islower() and re.search(r"[A-Za-z]-$", parts[-1]):
            stem = re.search(r"(\w+)-$", parts[-1]).group(1)
            parts[-1] = parts[-1] + line if stem.lower() in _KEEP_HYPHEN else parts[-1][:-1] + line
        elif line:
            parts.append(line)
    return " ".join(parts)


def _fix_soft_hyphens(text: str) -> str:
    def repl(m: re.Match) -> str:
        return "-" if m.group(1).lower() in _KEEP_HYPHEN else ""
    text = re.sub(rf"(\w+)[{_SOFT_HYPHENS}](?=\w)", lambda m: m.group(1) + repl(m), text)
    return re.sub(rf"[{_SOFT_HYPHENS}]", "", text)


def lines_to_units(lines: list[Line], page: int | None = None) -> list[Unit]:
    """Group lines into units: paragraphs of wrapped lines, headings, list items and table rows."""
    units: list[Unit] = []
    current: list[str] = []
    kind = "paragraph"

    def flush() -> None:
        nonlocal current, kind
        if current:
            units.append(Unit(_join(current), kind, page))
        current, kind = [], "paragraph"

    for i, line in enumerate(lines):
        text = line.text.strip()
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if line.gap_before:
            flush()
        alone = not current and (nxt is None or nxt.gap_before)
        if _is_table_row(line.text):
            flush()
            cells = [c.strip() for c in re.split(r"\t+| \| |\|| {3,}", text) if c.strip()]
            units.append(Unit(" | ".join(cells), "table_row", page))
            continue
        if _looks_like_heading(line, nxt, alone):
            flush()
            units.append(Unit(text.lstrip("#").strip(), "heading", page))
            continue
        if _ITEM_RE.match(text):
            flush()
            kind = "list_item"
        elif _NUMBERED_RE.match(text):
            flush()
        elif current and current[-1].rstrip()[-1:] in ".!?" and line.large != lines[i - 1].large:
            flush()
        current.append(text)
    flush()
    return units


def _plain_document(data: bytes, source: str, warnings: list[str]) -> Document:
    text = _decode(data, source, warnings)
    return build_document(source, "text", text_units(text), warnings=warnings)


# ---------------------------------------------------------------------------------------------
# Markdown


def _markdown_document(text: str, source: str, warnings: list[str]) -> Document:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    units: list[Unit] = []
    kinds: list[str] = []  # open block context
    row: list[str] = []
    for tok in tokens:
        if tok.type in ("heading_open", "list_item_open", "tr_open"):
            kinds.append({"heading_open": "heading", "list_item_open": "list_item", "tr_open": "table_row"}[tok.type])
            if tok.type == "tr_open":
                row = []
        elif tok.type in ("heading_close", "list_item_close"):
            kinds.pop()
        elif tok.type == "tr_close":
            kinds.pop()
            units.append(Unit(" | ".join(c for c in row if c), "table_row"))
        elif tok.type == "inline":
            content = "".join(
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in (tok.children or []) if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            )
            context = kinds[-1] if kinds else "paragraph"
            if context == "table_row":
                row.append(content.strip())
            else:
                units.append(Unit(content, context))
    return build_document(source, "markdown", units, warnings=warnings)


def _read_markdown(data: bytes, source: str, warnings: list[str]) -> Document:
    return _markdown_document(_decode(data, source, warnings), source, warnings)


# ---------------------------------------------------------------------------------------------
# HTML


def _read_html(data: bytes, source: str, warnings: list[str]) -> Document:
    import trafilatura
    from lxml import etree

    html = _decode(data, source, warnings)
    xml = trafilatura.extract(html, output_format="xml", include_tables=True, include_comments=False,
                              favor_recall=True, include_formatting=False, include_links=False,
                              include_images=False, with_metadata=True)
    if xml is None:
        warnings.append(f"{source}: no main content found in the HTML page")
        return build_document(source, "html", [], warnings=warnings)
    root = etree.fromstring(xml.encode("utf-8"))
    units: list[Unit] = []
    for el in root.iter("head", "p", "item", "row", "quote"):
        if el.tag == "row":
            cells = [" ".join("".join(c.itertext()).split()) for c in el.iter("cell")]
            units.append(Unit(" | ".join(c for c in cells if c), "table_row"))
        elif el.tag == "p" and any(a.tag in ("item", "cell", "quote") for a in el.iterancestors()):
            continue
        elif el.tag in ("p", "quote", "head", "item"):
            kind = {"head": "heading", "item": "list_item"}.get(el.tag, "paragraph")
            units.append(Unit("".join(el.itertext()), kind))
    return build_document(source, "html", units, title=root.get("title") or None, warnings=warnings)


# ---------------------------------------------------------------------------------------------
# PDF


def _page_lines(textpage) -> list[tuple[str, float, float, float]]:
    """Lines of one PDF page as (text, top, bottom, font height), using pdfium's layout."""
    text = textpage.get_text_range()
    out = []
    for m in re.finditer(r"[^\r\n]+", text):
        line = m.group(0)
        stripped = line.strip()
        if not stripped:
            continue
        first = m.start() + (len(line) - len(line.lstrip()))
        last = m.start() + len(line.rstrip()) - 1
        try:
            left, bottom, right, top = textpage.get_charbox(first, loose=True)
            _, last_bottom, _, _ = textpage.get_charbox(last, loose=True)
        except Exception:  # generated characters may have no box
            top = bottom = last_bottom = 0.0
        out.append((_fix_soft_hyphens(stripped), top, min(bottom, last_bottom), top - bottom))
    return out


def _is_running(key: str, counts: Counter, n_pages: int) -> bool:
    return n_pages >= 2 and counts[key] >= max(2, (n_pages + 1) // 2)


def _running_key(text: str, top: float) -> tuple[str, int]:
    """Running headers and footers repeat the same words (page numbers aside) at the same height."""
    return re.sub(r"\d+", "#", " ".join(text.lower().split())), round(top / 4)


def _read_pdf(data: bytes, source: str, warnings: list[str]) -> Document:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise IngestError(f"{source}: encrypted PDF: it needs a password to open") from None
        raise IngestError(f"{source}: corrupt or unreadable PDF ({exc})") from None
    try:
        n_pages = len(pdf)
        title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
        pages = []
        for i in range(n_pages):
            page = pdf[i]
            textpage = page.get_textpage()
            pages.append(_page_lines(textpage))
            textpage.close()
            page.close()
    finally:
        pdf.close()

    edge = 3  # lines at the top and bottom of a page where running headers and footers sit
    counts: Counter = Counter()
    for lines in pages:
        counts.update({_running_key(t, top) for t, top, *_ in lines[:edge] + lines[-edge:]})
    units: list[Unit] = []
    for number, lines in enumerate(pages, start=1):
        kept = []
        for j, (text, top, bottom, height) in enumerate(lines):
            at_edge = j < edge or j >= len(lines) - edge
            if at_edge and (_PAGE_NUMBER_RE.match(text) or _is_running(_running_key(text, top), counts, n_pages)):
                continue
            kept.append((text, top, bottom, height))
        page_units = lines_to_units(_lines_with_gaps(kept), number)
        if (units and page_units and units[-1].kind == "paragraph" and page_units[0].kind == "paragraph"
                and units[-1].text.rstrip()[-1:] not in ".!?:" and page_units[0].text[:1].islower()):
            previous = units.pop()
            head = " ".join(previous.text.split())
            tail = " ".join(page_units[0].text.split())
            page_units[0] = Unit(f"{head} {tail}", "paragraph", previous.page,
                                 previous.page_breaks + ((len(head) + 1, number),))
        units.extend(page_units)
    if not any(u.text.strip() for u in units):
        warnings.append(f"{source}: no text layer on any of its {n_pages} page(s) (a scanned PDF?); "
                        "OCR is not supported, so nothing was read")
    return build_document(source, "pdf", units, title=title, pages=n_pages, warnings=warnings)


def _lines_with_gaps(lines: list[tuple[str, float, float, float]]) -> list[Line]:
    """Mark paragraph gaps (vertical space well above the usual line spacing) and large type."""
    if not lines:
        return []
    heights = [h for _, _, _, h in lines if h > 0]
    body = statistics.median(heights) if heights else 0.0
    gaps = [prev[2] - cur[1] for prev, cur in zip(lines, lines[1:])]
    usual = statistics.median([g for g in gaps if g >= 0] or [0.0])
    out = []
    for i, (text, top, bottom, height) in enumerate(lines):
        gap = i > 0 and (gaps[i - 1] > usual + 0.6 * body or gaps[i - 1] < -body)
        out.append(Line(text, gap_before=gap, large=body > 0 and height > 1.15 * body))
    return out


# ---------------------------------------------------------------------------------------------
# DOCX


def _read_docx(data: bytes, source: str, warnings: list[str]) -> Document:
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(f"{source}: corrupt DOCX ({exc})") from None
    has_breaks = any(True for _ in document.element.body.iter(qn("w:lastRenderedPageBreak"))) or any(
        br.get(qn("w:type")) == "page" for br in document.element.body.iter(qn("w:br")))
    page = 1
    units: list[Unit] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):
                        cells.append(text)
                units.append(Unit(" | ".join(cells), "table_row", page if has_breaks else None))
            continue
        element = item._p
        before, after = _page_breaks(element, qn)
        page += before
        style = (item.style.name if item.style is not None else "") or ""
        numbered = element.pPr is not None and element.pPr.numPr is not None
        if style.startswith(("Heading", "Title")):
            kind = "heading"
        elif numbered or style.startswith("List"):
            kind = "list_item"
        else:
            kind = "paragraph"
        units.append(Unit(item.text, kind, page if has_breaks else None))
        page += after
    title = (document.core_properties.title or "").strip() or None
    return build_document(source, "docx", units, title=title,
                          pages=page if has_breaks else None, warnings=warnings)


def _page_breaks(paragraph, qn) -> tuple[int, int]:
    """Count page breaks in a DOCX paragraph before its first text and after it."""
    before = after = 0
    seen_text = False
    for el in paragraph.iter(qn("w:t"), qn("w:br"), qn("w:lastRenderedPageBreak")):
        if el.tag == qn("w:t"):
            seen_text = seen_text or bool((el.text or "").strip())
        elif el.tag == qn("w:lastRenderedPageBreak") or el.get(qn("w:type")) == "page":
            if seen_text:
                after += 1
            else:
                before += 1
    return before, after


_READERS = {"text": _plain_document, "markdown": _read_markdown, "html": _read_html,
            "pdf": _read_pdf, "docx": _read_docx}
