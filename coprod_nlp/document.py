"""The document model: text units with provenance, and the sentences cut from them.

Every reader in :mod:`coprod_nlp.ingest` produces a list of :class:`Unit` (a heading, a
paragraph, a list item or a table row, with its page), and :func:`build_document` turns them into a
:class:`Document` whose blocks know their section heading, paragraph index and character offsets
into ``Document.text``. Sentences keep the same provenance so that any of them can be quoted as
"page 12, section 3.2".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

#: Kinds of block a reader can produce.
BLOCK_KINDS = ("heading", "paragraph", "list_item", "table_row")

#: Longest block kept whole; longer runs of text are cut at a sentence end or a space near this.
MAX_BLOCK_CHARS = 50_000

#: Separator between blocks in ``Document.text``: a blank line always ends a sentence.
BLOCK_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Unit:
    """One unit of text as a reader found it, before provenance is worked out.

    ``page_breaks`` holds ``(offset, page)`` pairs for a unit that runs on to later pages: from
    character ``offset`` of its whitespace-normalised text, the text is on ``page``.
    """

    text: str
    kind: str = "paragraph"
    page: int | None = None
    page_breaks: tuple[tuple[int, int], ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The page that character ``offset`` of the unit's text is on."""
        page = self.page
        for start, later in self.page_breaks:
            if offset >= start:
                page = later
        return page


@dataclass(frozen=True)
class Block(Unit):
    """A heading, paragraph, list item or table row of a document, with its provenance.

    ``page`` is the page the block starts on; ``page_breaks`` (offsets into the block's text)
    say where it runs on to the next page, so each sentence gets the page it starts on.
    """

    section: str | None = None
    paragraph: int = 0
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Sentence:
    """One sentence with the provenance needed to quote and check it.

    ``start`` and ``end`` are character offsets into the ``text`` of the document the sentence
    came from; ``paragraph`` is the index of its block in that document and ``kind`` the block's
    kind (heading, paragraph, list item or table row).
    """

    source: str
    text: str
    page: int | None
    section: str | None
    paragraph: int
    start: int
    end: int
    kind: str = "paragraph"

    def to_dict(self) -> dict:
        """Return the sentence as a flat dict (the ``coprod segment --format jsonl`` row)."""
        return asdict(self)

    @property
    def citation(self) -> str:
        """A human-readable location such as ``"page 12, section 3.2 Patient experience"``."""
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.section:
            parts.append(f"section {self.section}")
        parts.append(f"paragraph {self.paragraph + 1}")
        return ", ".join(parts)


@dataclass
class Document:
    """A document read from a file or a string: its cleaned text and its blocks."""

    source: str
    format: str
    text: str
    blocks: list[Block]
    title: str | None = None
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.blocks)


def build_document(
    source: str,
    fmt: str,
    units: list[Unit],
    *,
    title: str | None = None,
    pages: int | None = None,
    warnings: list[str] | None = None,
) -> Document:
    """Assemble a :class:`Document` from reader units, working out sections and offsets.

    Units with no text are dropped; each heading becomes the section of the blocks after it.
    """
    blocks: list[Block] = []
    parts: list[str] = []
    offset = 0
    section: str | None = None
    for unit in units:
        if unit.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {unit.kind!r}; valid kinds: {', '.join(BLOCK_KINDS)}")
        normalised = " ".join(unit.text.split())
        position = 0
        for text in _pieces(normalised):
            first = normalised.index(text, position)
            position = first + len(text)
            breaks = tuple((at - first, page) for at, page in unit.page_breaks if first < at < position)
            if unit.kind == "heading":
                section = text
            if parts:
                offset += len(BLOCK_SEPARATOR)
            blocks.append(Block(text, unit.kind, unit.page_at(first), breaks, section, len(blocks),
                                offset, offset + len(text)))
            parts.append(text)
            offset += len(text)
    if title is None:
        title = next((b.text for b in blocks if b.kind == "heading"), None)
    return Document(source, fmt, BLOCK_SEPARATOR.join(parts), blocks, title, pages, list(warnings or []))


def _pieces(text: str) -> list[str]:
    """Cut an over-long block (a text file with no blank lines, say) into bounded pieces."""
    pieces = []
    while len(text) > MAX_BLOCK_CHARS:
        window = text[: MAX_BLOCK_CHARS]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 1 if cut > MAX_BLOCK_CHARS // 2 else window.rfind(" ")
        cut = cut if cut > 0 else MAX_BLOCK_CHARS
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    if text:
        pieces.append(text)
    return pieces
