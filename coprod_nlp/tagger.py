"""Tag the sentences of a document with the four labels, as a function and as a spaCy component.

:func:`tag` runs segmentation and the classifier over a :class:`~coprod_nlp.document.Document`
(spaCy processes each block once; the classifier predicts all sentences in one vectorised call)
and returns :class:`TaggedSentence` records. The ``coprod`` spaCy component sets the same
labels on each sentence span as ``span._.coprod``, for spaCy users::

    nlp = coprod_nlp.segment.load_nlp()
    nlp.add_pipe("coprod")
    doc = nlp("Two carers co-chair the board. We ran a survey.")
    [s._.coprod["rung"] for s in doc.sents]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc, Span

from .document import Document, Sentence
from .labels import LEVELS, MODES, NONE, PRINCIPLES, RUNGS
from .model import LoadedModel, load
from .segment import load_nlp, segment_spans


@dataclass
class TaggedSentence:
    """A sentence, its provenance, its four labels and their probabilities."""

    sentence: Sentence
    principles: list[str]
    rung: str
    mode: str
    level: str
    proba: dict[str, dict[str, float]]
    explanation: dict[str, list[tuple[str, float]]] | None = field(default=None, repr=False)
    unreliable: list[str] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        """Probability of the predicted rung."""
        return self.proba["rung"][self.rung]

    def to_dict(self) -> dict:
        """A flat row: provenance, labels, then ``<head>_prob_<label>`` columns (and ``why``)."""
        row = self.sentence.to_dict()
        row.update(principles=list(self.principles), rung=self.rung, mode=self.mode, level=self.level,
                   rung_prob=round(self.confidence, 4), unreliable=",".join(self.unreliable))
        for head, values in self.proba.items():
            prefix = "principle" if head == "principles" else head
            for label, p in values.items():
                row[f"{prefix}_prob_{label}"] = round(p, 4)
        if self.explanation is not None:
            row["why"] = "; ".join(f"{head}: " + ", ".join(f"{name} (+{w:.2f})" for name, w in feats)
                                   for head, feats in self.explanation.items() if feats)
        return row


def _proba_dicts(proba: dict[str, np.ndarray], i: int) -> dict[str, dict[str, float]]:
    names = {"principles": PRINCIPLES, "rung": RUNGS, "mode": MODES, "level": LEVELS}
    return {head: {label: float(proba[head][i, j]) for j, label in enumerate(names[head])} for head in names}


def predict_spans(model: LoadedModel, spans: list, *, explain: bool = False):
    """Labels, probabilities and (optionally) explanations for a list of sentences."""
    if not spans:
        return pd.DataFrame(columns=["principles", "rung", "mode", "level"]), {}, None
    labels, proba = model.classifier.predict_with_proba(spans)
    why = model.classifier.explain(spans) if explain else None
    return labels, proba, why


def tag(document: Document, model: LoadedModel | None = None, nlp: Language | None = None, *,
        explain: bool = False) -> list[TaggedSentence]:
    """Segment ``document`` and tag each sentence.

    Example
    -------
    >>> from coprod_nlp.ingest import read_text
    >>> tagged = tag(read_text("Two carers co-chair the Partnership Board."))   # doctest: +SKIP
    >>> tagged[0].rung                                                          # doctest: +SKIP
    'co_production'
    """
    model = model or load()
    pairs = list(segment_spans(document, nlp or load_nlp()))
    labels, proba, why = predict_spans(model, classified_spans(pairs), explain=explain)
    return tagged_sentences([s for s, _ in pairs], labels, proba, model, why)


def classified_spans(pairs: Iterable[tuple[Sentence, Span]]) -> list[Span]:
    """The spans the classifier labels: every sentence but section headings (labelled by rule)."""
    return [span for sentence, span in pairs if sentence.kind != "heading"]


def tagged_sentences(sentences: list[Sentence], labels: pd.DataFrame, proba: dict[str, np.ndarray],
                     model: LoadedModel, why: list | None = None, offset: int = 0) -> list[TaggedSentence]:
    """Combine sentences with rows ``offset``… of a prediction of their :func:`classified_spans`
    into :class:`TaggedSentence` records, marking the labels the model card calls unreliable.

    A section heading is labelled ``none`` by rule (with probability 1), as the annotation
    guidelines label it: a heading names a topic, it describes no relationship. The classifier is
    trained on sentences only and is not run on headings.
    """
    flagged = set(model.unreliable)
    out = []
    i = offset
    for sentence in sentences:
        if sentence.kind == "heading":
            out.append(_heading(sentence, explained=why is not None))
            continue
        row = labels.iloc[i]
        mine = [f"rung:{row['rung']}", f"mode:{row['mode']}", f"level:{row['level']}",
                *(f"principles:{p}" for p in row["principles"])]
        out.append(TaggedSentence(sentence, list(row["principles"]), row["rung"], row["mode"], row["level"],
                                  _proba_dicts(proba, i), why[i - offset] if why else None,
                                  [label for label in mine if label in flagged]))
        i += 1
    return out


def _heading(sentence: Sentence, explained: bool) -> TaggedSentence:
    proba = {"principles": dict.fromkeys(PRINCIPLES, 0.0), "rung": {r: float(r == NONE) for r in RUNGS},
             "mode": {m: float(m == NONE) for m in MODES}, "level": {v: float(v == NONE) for v in LEVELS}}
    why = {"rung": [("rule:section_heading", 1.0)]} if explained else None
    return TaggedSentence(sentence, [], NONE, NONE, NONE, proba, why)


def tags_frame(tagged: Iterable[TaggedSentence]) -> pd.DataFrame:
    """One row per tagged sentence (see :meth:`TaggedSentence.to_dict`)."""
    return pd.DataFrame([t.to_dict() for t in tagged])


# ---------------------------------------------------------------------------------------------
# spaCy component


class CoprodComponent:
    """spaCy component that tags each sentence span: ``span._.coprod`` is a dict with ``principles``,
    ``rung``, ``mode``, ``level`` and ``proba`` (probabilities per head and label).

    Needs sentence boundaries: add it after ``coprod_sentencizer`` (or a parser/senter).
    """

    def __init__(self, nlp: Language, name: str = "coprod", *, model: str | None = None,
                 trust_model: bool = False, sha256: str | None = None) -> None:
        self.name = name
        self.model = load(model, trust=trust_model, sha256=sha256)
        if not Span.has_extension("coprod"):
            Span.set_extension("coprod", default=None)

    def predict(self, docs: list[Doc]) -> list[list[dict]]:
        spans = [s for doc in docs for s in doc.sents]
        labels, proba, _ = predict_spans(self.model, spans)
        flat = [{"principles": list(labels.iloc[i]["principles"]), "rung": labels.iloc[i]["rung"],
                 "mode": labels.iloc[i]["mode"], "level": labels.iloc[i]["level"],
                 "proba": _proba_dicts(proba, i)} for i in range(len(spans))]
        out, k = [], 0
        for doc in docs:
            n = sum(1 for _ in doc.sents)
            out.append(flat[k:k + n])
            k += n
        return out

    def set_annotations(self, docs: list[Doc], results: list[list[dict]]) -> None:
        for doc, rows in zip(docs, results):
            for span, row in zip(doc.sents, rows):
                span._.coprod = row

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations([doc], self.predict([doc]))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                self.set_annotations(batch, self.predict(batch))
                yield from batch
                batch = []
        if batch:
            self.set_annotations(batch, self.predict(batch))
            yield from batch


@Language.factory("coprod", default_config={"model": None, "trust_model": False, "sha256": None},
                  assigns=["span._.coprod"], requires=["token.is_sent_start"])
def make_coprod(nlp: Language, name: str, model: str | None, trust_model: bool, sha256: str | None) -> CoprodComponent:
    """spaCy factory: ``nlp.add_pipe("coprod", config={"model": "coprod-v1"})``."""
    return CoprodComponent(nlp, name, model=model, trust_model=trust_model, sha256=sha256)
