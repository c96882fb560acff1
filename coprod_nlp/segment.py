"""Sentence segmentation for policy documents, as a spaCy pipeline component.

:func:`load_nlp` builds the pipeline (by default a blank English pipeline that needs no download:
the ``coprod_sentencizer`` component below plus spaCy's lookup lemmatizer from
spacy-lookups-data; any installed spaCy pipeline can be named instead). :func:`segment` cuts a
:class:`~coprod_nlp.document.Document` into :class:`~coprod_nlp.document.Sentence` records, one
block at a time, so a blank line, a heading, a bullet or a table row always ends a sentence.

The ``coprod_sentencizer`` is rule-based, like spaCy's ``sentencizer``, but knows what that one
does not: abbreviations ("e.g.", "Cllr.", "U.S.", "p. 55"), initials, ellipses, quotes and brackets
after a full stop, and list items run together on one line ("1) First 2) Second").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from .document import Document, Sentence

DEFAULT_MODEL = "blank:en"

#: Abbreviations that come before a name and never end a sentence.
TITLES = frozenset("mr mrs ms mx dr prof cllr clr rev revd st mt sgt capt col gen lt insp supt hon rt "
                   "fr sen rep gov pres cmdr det ch".split())
#: Abbreviations that come before a number: no boundary when a number follows.
BEFORE_NUMBER = frozenset("p pp no nos n° para paras fig figs vol ch chap sec s art arts reg cl ref "
                          "tel ext op item min max approx c ca".split())
#: Abbreviations that introduce what follows and never end a sentence.
NEVER_FINAL = frozenset("e.g eg i.e ie cf viz vs v incl esp al resp".split())
#: Abbreviations that often end a sentence: a boundary when a capitalised word follows.
OFTEN_FINAL = frozenset("etc ltd inc co plc llp corp jr cic".split())
#: Abbreviations that may end a sentence only when a typical sentence opener follows.
OTHER_ABBREVIATIONS = frozenset("govt dept depts est assoc ave rd nat natl intl gp approx jan feb mar apr "
                                "jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun "
                                "am pm hrs yrs mins wk wks dir mgr exec".split())
#: Capitalised words that typically open a sentence (used after ambiguous abbreviations).
STARTERS = frozenset("""A An The This That These Those There Their They Them Then Thus It Its I We Our You
Your He His She Her In On At As If For From By To With When Where Why What Which Who How However Although
Though While Whilst But And Or So Yet Also All Some Many Most Each Every No Not Any One Two Further
Furthermore Moreover Please Did Do Does Is Are Was Were Has Have Had Can Could Will Would Should May
Might Must Let After Before During Since Following Overall Finally First Second Third Next Here Both
Such Other Only Despite Because Members Action Actions""".split())

_TERMINAL_CHARS = set(".!?…")
_NOT_START = numpy.uint64(2**64 - 1)  # -1 as spaCy stores it: "not a sentence start"
_CLOSERS = set(")]}\"'”’»")
_OPENERS = set("([{\"'“‘«")
_BULLETS = "•⁃▪●◦‣∙■➢►"
_MARKER_RE = re.compile(
    rf"(?:(?<=\s)|^)(?:[{_BULLETS}]\s?)?(\d{{1,3}}|[a-z])(?:\.\)|\)|\.)(?=\s)")
# Flags kept per vocabulary entry (orth id), so each distinct string is examined once.
_TERMINAL, _ALL_TERMINAL, _WORD, _MARKER, _BULLET, _CLOSER, _LOWER, _OPENS, _ABBREVIATION = (
    1 << k for k in range(9))
_FLAGS: dict[int, int] = {}
_MARKER_TOKEN_RE = re.compile(rf"^(?:[{_BULLETS}].*|\d{{1,3}}\.?|[a-z]\.?)$")
_WORD_RE = re.compile(r"[^\W\d_]{2}")
_ALL_ABBREVIATIONS = TITLES | BEFORE_NUMBER | NEVER_FINAL | OFTEN_FINAL | OTHER_ABBREVIATIONS


def _flags_of(string: str) -> int:
    first = string[0]
    checks = (
        (_TERMINAL, string[-1] in _TERMINAL_CHARS),
        (_ALL_TERMINAL, set(string) <= _TERMINAL_CHARS),
        (_WORD, bool(_WORD_RE.search(string))),
        (_MARKER, bool(_MARKER_TOKEN_RE.match(string))),
        (_BULLET, first in _BULLETS),
        (_CLOSER, first in _CLOSERS),
        (_LOWER, first.islower()),
        (_OPENS, first.isupper() or first.isdigit() or first in _OPENERS or first in _BULLETS),
        (_ABBREVIATION, string.lower() in _ALL_ABBREVIATIONS or len(string) == 1 or not string.isalnum()),
    )
    return sum(flag for flag, on in checks if on)


def _token_flags(doc: Doc) -> numpy.ndarray:
    """Per-token bit flags (terminal punctuation, word, list marker...), cached per string."""
    strings = doc.vocab.strings
    values = []
    for orth in doc.to_array(ORTH).tolist():
        flag = _FLAGS.get(orth)
        if flag is None:
            flag = _FLAGS[orth] = _flags_of(strings[orth])
        values.append(flag)
    return numpy.array(values, dtype="int64")


class PolicySentencizer:
    """Set ``token.is_sent_start`` on a Doc with rules tuned for policy documents.

    Assigns ``token.is_sent_start``. Runs like spaCy's ``sentencizer`` (no model, no training)
    and can sit before a parser, which then respects the boundaries.
    """

    def __init__(self, nlp: Language | None = None, name: str = "coprod_sentencizer", *,
                 max_tokens: int = 200) -> None:
        self.name = name
        self.max_tokens = max_tokens

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        flags = numpy.full((n, 1), _NOT_START, dtype="uint64")
        flags[sorted(self.boundaries(doc)), 0] = 1
        doc.from_array([SENT_START], flags)
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)

    # -- the rules ---------------------------------------------------------------------------

    def boundaries(self, doc: Doc) -> set[int]:
        """Return the indices of tokens that start a sentence.

        Only tokens holding terminal punctuation are looked at, found through flags cached per
        vocabulary entry, so the cost stays close to that of spaCy's plain sentencizer.
        """
        n = len(doc)
        flags = _token_flags(doc)
        words = numpy.cumsum((flags & _WORD) > 0)
        item_starts: list[int] = []
        if flags[0] & _MARKER or numpy.count_nonzero(flags & _BULLET) >= 2:
            item_starts = sorted(self._list_item_starts(doc, doc.text))
        starts = {0, *item_starts}
        sent_start = 0
        items = iter(item_starts)
        next_item = next(items, n)
        run_end = -1
        for i in numpy.flatnonzero(flags & _TERMINAL).tolist():
            if i < run_end:
                continue
            while next_item <= i:
                sent_start = max(sent_start, next_item)
                next_item = next(items, n)
            # a run of terminal punctuation, then closing quotes/brackets attached to it
            j = i + 1
            while j < n and (flags[j] & _ALL_TERMINAL or (flags[j] & _CLOSER and not doc[j - 1].whitespace_)):
                j += 1
            run_end = j
            if j >= n:
                break
            if flags[j] & _LOWER or not flags[j] & _OPENS:
                continue  # "Yahoo! in", "etc. and", "(see p. 5)."
            has_words = i > 0 and words[i - 1] > (words[sent_start - 1] if sent_start else 0)
            if j == i + 1 and flags[i] & _ALL_TERMINAL and has_words and not (
                    flags[i - 1] & _ABBREVIATION and not doc[i - 1].whitespace_):
                cut = j  # the common case: a word, a full stop, a capital
            else:
                cut = self._boundary(doc, has_words, i, j)
            if cut is not None:
                starts.add(cut)
                sent_start = cut
        return self._bounded(sorted(starts), n)

    def _bounded(self, starts: list[int], n: int) -> set[int]:
        """Add breaks so that no sentence runs longer than ``max_tokens`` tokens."""
        out = set(starts)
        for begin, end in zip(starts, starts[1:] + [n]):
            out.update(range(begin + self.max_tokens, end, self.max_tokens))
        return out

    def _boundary(self, doc: Doc, has_words: bool, i: int, j: int) -> int | None:
        """Decide whether the punctuation run doc[i:j] ends a sentence; return the next start."""
        nxt = doc[j].text
        first = nxt[0]
        run = doc[i:j].text
        dots = run.count(".")
        if dots >= 3 and not any(c in run for c in "!?"):
            # "word. . . . Next": the attached full stop ends the sentence, the ellipsis opens the next
            if doc[i].text == "." and not doc[i - 1].whitespace_ and doc[i].whitespace_ and dots >= 4 \
                    and set(doc[i + 1:j].text.replace(" ", "")) <= {"."}:
                return i + 1
            # a plain three-dot ellipsis inside a sentence does not end it
            if dots == 3 or run.strip() in ("…", ". . ."):
                return None
            return j
        if not has_words:  # only a list marker or a number so far
            return None
        word = self._word_before(doc, i)
        if word is not None and doc[i].text.endswith("."):
            key = word.lower().rstrip(".")
            if key in TITLES or key in NEVER_FINAL:
                return None
            if key in BEFORE_NUMBER and first.isdigit():
                return None
            if key in OFTEN_FINAL:
                return j
            if key in BEFORE_NUMBER or key in OTHER_ABBREVIATIONS or self._is_acronym(key):
                return j if nxt in STARTERS else None
        return j

    @staticmethod
    def _word_before(doc: Doc, i: int) -> str | None:
        """The word a full stop at ``doc[i]`` belongs to ("Cllr", "N°", "U.S."), or None."""
        token = doc[i]
        if token.text != "." and token.text.endswith("."):
            return token.text  # spaCy kept the stop with its abbreviation ("Mr.", "U.S.", "a.m.")
        if i == 0 or doc[i - 1].whitespace_:
            return None
        k = i - 1
        parts = [doc[k].text]
        while k > 0 and not doc[k - 1].whitespace_ and doc[k - 1].text not in _OPENERS:
            k -= 1
            parts.insert(0, doc[k].text)
        return "".join(parts)

    @staticmethod
    def _is_acronym(key: str) -> bool:
        """A single letter ("E") or a dotted acronym ("u.s", "a.m") but not a number."""
        if len(key) == 1:
            return key.isalpha()
        return "." in key and all(part.isalpha() and len(part) <= 2 for part in key.split("."))

    @staticmethod
    def _list_item_starts(doc: Doc, text: str) -> set[int]:
        """Starts of list items run together on one line: "1) First 2) Second", "• a • b"."""
        starts: set[int] = set()
        bullets = [m.start() for m in re.finditer(rf"(?:(?<=\s)|^)[{_BULLETS}]", text)]
        markers = list(_MARKER_RE.finditer(text))
        if markers and markers[0].start() == len(text) - len(text.lstrip()):
            expected = markers[0].group(1)
            positions = []
            for m in markers:
                if m.group(1) == expected:
                    positions.append(m.start())
                    expected = str(int(expected) + 1) if expected.isdigit() else chr(ord(expected) + 1)
            if len(positions) >= 2:
                bullets.extend(positions[1:])
        elif len(bullets) < 2:
            return starts
        for pos in bullets:
            if pos == 0:
                continue
            span = doc.char_span(pos, pos + 1, alignment_mode="expand")
            if span is not None and span.start > 0:
                starts.add(span.start)
        return starts


@Language.factory("coprod_sentencizer", default_config={"max_tokens": 200},
                  assigns=["token.is_sent_start"])
def make_sentencizer(nlp: Language, name: str, max_tokens: int) -> PolicySentencizer:
    """spaCy factory: ``nlp.add_pipe("coprod_sentencizer")``."""
    return PolicySentencizer(nlp, name, max_tokens=max_tokens)


@lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Return the spaCy pipeline used for segmentation and features (cached per ``model``).

    ``"blank:en"`` (the default) needs no download: a blank English pipeline with the
    ``coprod_sentencizer`` and the lookup lemmatizer of spacy-lookups-data. Any other name is
    passed to :func:`spacy.load` (e.g. ``"en_core_web_sm"``), and the sentencizer is put first so
    that a parser respects its boundaries.
    """
    import spacy

    from .errors import CoprodError

    if model == DEFAULT_MODEL:
        nlp = spacy.blank("en")
        nlp.add_pipe("coprod_sentencizer")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
        return nlp
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise CoprodError(f"spaCy pipeline {model!r} is not installed ({exc}); "
                          f"use {DEFAULT_MODEL!r} or install the pipeline package") from None
    nlp.add_pipe("coprod_sentencizer", first=True)
    return nlp


def segment_spans(document: Document, nlp: Language | None = None, *, batch_size: int = 256,
                  disable: Iterable[str] = ()) -> Iterator[tuple[Sentence, Span]]:
    """Yield each sentence of ``document`` as a (:class:`Sentence`, spaCy ``Span``) pair.

    ``disable`` names pipeline components to skip (for example ``"lemmatizer"`` when only the
    sentence boundaries are needed).
    """
    nlp = nlp or load_nlp()
    blocks = document.blocks
    skip = [name for name in disable if name in nlp.pipe_names]
    docs = nlp.pipe((b.text for b in blocks), batch_size=batch_size, disable=skip)
    for block, doc in zip(blocks, docs):
        for span in doc.sents:
            text = span.text.strip()
            if not text:
                continue
            start = block.start + span.start_char
            yield Sentence(document.source, text, block.page_at(span.start_char), block.section,
                           block.paragraph, start, start + len(text), block.kind), span


def segment(document: Document, nlp: Language | None = None, *, batch_size: int = 256) -> list[Sentence]:
    """Cut a document into sentences with their provenance.

    Example
    -------
    >>> from coprod_nlp.ingest import read_text
    >>> [s.text for s in segment(read_text("Cllr. Patel asked about e.g. PALS. The Board noted it."))]
    ['Cllr. Patel asked about e.g. PALS.', 'The Board noted it.']
    """
    components = (nlp or load_nlp()).pipe_names
    unneeded = [name for name in components if name not in ("coprod_sentencizer", "senter", "parser")]
    return [sentence for sentence, _ in segment_spans(document, nlp, batch_size=batch_size, disable=unneeded)]
