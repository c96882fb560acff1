"""The notebook-friendly entry point: load once, then score documents and compare them.

>>> import coprod_nlp
>>> scorer = coprod_nlp.load()                                   # doctest: +SKIP
>>> result = scorer.score("board_paper.pdf")                     # doctest: +SKIP
>>> result.profile                                               # doctest: +SKIP
Profile('board_paper.pdf': embeddedness 61/100, claims Co-production, practice reaches Co-design, ...)
>>> scorer.compare(["trust_2023.pdf", "trust_2024.pdf"])         # doctest: +SKIP
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .document import Document
from .ingest import SUFFIXES, read, read_text
from .model import LoadedModel, load as load_model
from .profile import Profile, compare, profile
from .segment import DEFAULT_MODEL, load_nlp
from .tagger import TaggedSentence, tag, tags_frame


@dataclass
class DocumentScore:
    """A scored document: its tagged sentences and its profile."""

    document: Document
    sentences: list[TaggedSentence]
    profile: Profile
    model: str

    def __repr__(self) -> str:
        return f"DocumentScore({self.document.source!r}, {len(self.sentences)} sentences, {self.profile!r})"

    def to_frame(self) -> pd.DataFrame:
        """One row per sentence: provenance, labels and probabilities."""
        return tags_frame(self.sentences)

    def to_dict(self) -> dict:
        """The JSON of ``coprod score --json``: document, profile and evidence."""
        doc = self.document
        return {"document": {"source": doc.source, "title": doc.title, "format": doc.format, "pages": doc.pages,
                             "sentences": len(self.sentences), "warnings": doc.warnings, "model": self.model},
                "profile": self.profile.to_dict(), "evidence": self.profile.evidence_dict()}

    def _repr_html_(self) -> str:
        p = self.profile
        rows = "".join(f"<tr><td>{html.escape(e.citation)}</td><td>{html.escape(e.rung)}</td>"
                       f"<td>{html.escape(e.text)}</td></tr>" for e in p.evidence["claims_without_practice"][:5])
        return (f"<div><b>{html.escape(self.document.source)}</b>: {html.escape(p.summary)}<br>"
                f"Embeddedness {p.embeddedness:.0f}/100; lip-service index {p.lip_service_index:.2f} "
                f"[{p.lip_service_ci95[0]:.2f}, {p.lip_service_ci95[1]:.2f}]"
                + (f"<table><tr><th>where</th><th>claim</th><th>text</th></tr>{rows}</table>" if rows else "")
                + "</div>")


class Scorer:
    """Reads, segments, tags and profiles documents with one loaded model and spaCy pipeline."""

    def __init__(self, model: LoadedModel, spacy_model: str = DEFAULT_MODEL, *, min_support: int = 2,
                 n_boot: int = 1000, seed: int = 0):
        self.model = model
        self.nlp = load_nlp(spacy_model)
        self.min_support = min_support
        self.n_boot = n_boot
        self.seed = seed

    def __repr__(self) -> str:
        return f"Scorer(model={self.model.name!r}, sha256={self.model.sha256[:12]}…)"

    def read(self, source: str | Path | Document) -> Document:
        """A Document from a path, a Document, or a string of text (anything that is not a file)."""
        if isinstance(source, Document):
            return source
        if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source and len(source) < 4096
                                        and (Path(source).suffix.lower() in SUFFIXES or Path(source).is_file())):
            return read(source)
        return read_text(str(source))

    def tag(self, source: str | Path | Document, *, explain: bool = False) -> list[TaggedSentence]:
        return tag(self.read(source), self.model, self.nlp, explain=explain)

    def score(self, source: str | Path | Document, *, name: str | None = None) -> DocumentScore:
        """Score one document (a path, a Document or a string of text)."""
        document = self.read(source)
        tagged = tag(document, self.model, self.nlp)
        return DocumentScore(document, tagged, self._profile(tagged, name or document.source, 1), self.model.name)

    def score_many(self, sources) -> list[DocumentScore]:
        return [self.score(s) for s in sources]

    def profile(self, results: list[DocumentScore], name: str) -> Profile:
        """The profile of a set of documents taken together (one organisation's papers for a year)."""
        return self._profile([t for r in results for t in r.sentences], name, len(results))

    def _profile(self, tagged, name, n_documents) -> Profile:
        return profile(tagged, name, n_documents=n_documents, min_support=self.min_support,
                       n_boot=self.n_boot, seed=self.seed)

    def compare(self, items, reference: int | str = 0) -> pd.DataFrame:
        """Profiles side by side; ``items`` are paths, DocumentScores or Profiles."""
        profiles = []
        for item in items:
            if isinstance(item, Profile):
                profiles.append(item)
            elif isinstance(item, DocumentScore):
                profiles.append(item.profile)
            else:
                profiles.append(self.score(item).profile)
        return compare(profiles, reference)


def load(model: str | Path | None = None, *, trust: bool = False, sha256: str | None = None,
         spacy_model: str = DEFAULT_MODEL, **options) -> Scorer:
    """Load the shipped model (or another, with ``trust`` or its ``sha256``) into a :class:`Scorer`."""
    return Scorer(load_model(model, trust=trust, sha256=sha256), spacy_model, **options)
