"""Sentence features: lemmas and n-grams from spaCy, plus counts of lexical cue patterns.

:class:`SentenceFeatures` is a scikit-learn transformer from sentences (strings, or spaCy
``Span``/``Doc`` objects already processed by the pipeline) to a sparse matrix. Its columns have
readable names (``word:co-chair``, ``cue:people_act``) so that a linear model's largest
contributions explain a prediction.
"""

from __future__ import annotations

import re
from collections import OrderedDict

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from .cues import CUE_NAMES, find_cues
from .segment import DEFAULT_MODEL, load_nlp

_NUMBER_RE = re.compile(r"^[£$€]?\d[\d,.:/%-]*[kmb]?$|^\d+(st|nd|rd|th)$")
_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 50_000


def check_texts(X) -> list:
    """Return ``X`` as a list of sentences, rejecting a bare string (a common mistake)."""
    if isinstance(X, (str, bytes)):
        raise TypeError("expected a list of sentences, got a single string; wrap it in a list")
    items = list(X)
    for item in items:
        if not isinstance(item, str) and not hasattr(item, "text"):
            raise TypeError(f"expected sentences as str or spaCy Span/Doc, got {type(item).__name__}")
    return items


def _lemma_table(nlp):
    if "lemmatizer" in nlp.pipe_names:
        lookups = nlp.get_pipe("lemmatizer").lookups
        if lookups.has_table("lemma_lookup"):
            return lookups.get_table("lemma_lookup")
    return {}


def analyse(items: list, spacy_model: str = DEFAULT_MODEL) -> list[tuple[str, str]]:
    """For each sentence, a pair of strings: normalised lemmas, and the names of its cues.

    Strings are run through the spaCy pipeline (results cached by text); spaCy spans are used as
    they are, so a document segmented once is not processed again.
    """
    nlp = load_nlp(spacy_model)
    table = _lemma_table(nlp)
    out: list[tuple[str, str] | None] = [None] * len(items)
    todo = []
    for i, item in enumerate(items):
        text = item if isinstance(item, str) else item.text
        hit = _CACHE.get((spacy_model, text))
        if hit is not None:
            out[i] = hit
        elif isinstance(item, str):
            todo.append(i)
        else:
            out[i] = _remember(spacy_model, text, _analyse_doc(item, nlp, table))
    if todo:
        for i, doc in zip(todo, nlp.pipe((items[i] for i in todo), batch_size=512)):
            out[i] = _remember(spacy_model, items[i], _analyse_doc(doc, nlp, table))
    return out  # type: ignore[return-value]


def _remember(model: str, text: str, value: tuple[str, str]) -> tuple[str, str]:
    _CACHE[(model, text)] = value
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return value


#: Names of the sentence-shape features (length, headings, numbering), appended to the cues.
SHAPES = ("len_le4", "len_le8", "len_le15", "len_le30", "len_gt30", "no_end_punct", "starts_numbered",
          "title_case", "has_digit", "has_verb_ending")


def _shapes(doc) -> list[str]:
    tokens = [t for t in doc if not t.is_space]
    n = len(tokens)
    text = doc.text.strip()
    out = ["len_le4" if n <= 4 else "len_le8" if n <= 8 else "len_le15" if n <= 15 else "len_le30" if n <= 30 else "len_gt30"]
    if text and text[-1] not in ".!?:;\"'”’)":
        out.append("no_end_punct")
    if re.match(r"^(?:[\d.]+\)?|\(?[a-z]\)|[•▪●\-–*])\s", text):
        out.append("starts_numbered")
    words = [t for t in tokens if t.is_alpha and len(t) > 3]
    if words and sum(t.text[0].isupper() for t in words) / len(words) > 0.6:
        out.append("title_case")
    if any(t.like_num for t in tokens):
        out.append("has_digit")
    if any(t.lower_.endswith(("ed", "ing")) or t.lower_ in _VERBS for t in tokens):
        out.append("has_verb_ending")
    return out


_VERBS = frozenset("is are was were be been will would can could should must may might has have had do does "
                   "did meet meets met run runs ran sit sits sat take takes took give gives gave hold holds "
                   "held make makes made".split())


def _analyse_doc(doc, nlp, table) -> tuple[str, str]:
    words = []
    for token in doc:
        if token.is_space or (token.is_punct and token.text not in "?!"):
            continue
        lower = token.lower_
        if _NUMBER_RE.match(lower):
            words.append("<num>")
            continue
        lemma = token.lemma_.lower() if token.lemma_ else lower
        if lemma == lower:
            lemma = table.get(lower, lower) if table else lower
        words.append(lemma)
    cues = [name for name, hits in find_cues(doc, nlp).items() for _ in hits]
    return " ".join(words), " ".join(cues + [f"shape_{s}" for s in _shapes(doc)])


_CUE_COLUMNS = CUE_NAMES + tuple(f"shape_{s}" for s in SHAPES)


class SentenceFeatures(TransformerMixin, BaseEstimator):
    """Turn sentences into TF-IDF lemma n-grams, character n-grams and cue counts.

    Parameters
    ----------
    ngram_range:
        Word n-gram range over lemmas.
    min_df:
        Minimum document frequency of a word n-gram.
    char_ngrams:
        Character n-gram range (``None`` to leave them out).
    cue_weight:
        Scale of the cue-count block relative to the TF-IDF blocks.
    spacy_model:
        spaCy pipeline used for strings (see :func:`coprod_nlp.segment.load_nlp`).

    Example
    -------
    >>> f = SentenceFeatures().fit(["Carers co-chair the board.", "We ran a survey."])
    >>> f.transform(["Tenants decide."]).shape[0]
    1
    """

    def __init__(self, ngram_range=(1, 2), min_df=2, char_ngrams=(2, 5), cue_weight=1.0,
                 spacy_model=DEFAULT_MODEL):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.char_ngrams = char_ngrams
        self.cue_weight = cue_weight
        self.spacy_model = spacy_model

    def fit(self, X, y=None):
        items = check_texts(X)
        lemmas, _ = zip(*analyse(items, self.spacy_model)) if items else ((), ())
        self.words_ = TfidfVectorizer(ngram_range=tuple(self.ngram_range), min_df=self.min_df,
                                      sublinear_tf=True, token_pattern=r"\S+", lowercase=False,
                                      dtype=np.float32).fit(lemmas)
        if self.char_ngrams:
            texts = [t if isinstance(t, str) else t.text for t in items]
            self.chars_ = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.char_ngrams),
                                          min_df=max(2, self.min_df), sublinear_tf=True, lowercase=True,
                                          max_features=60_000, dtype=np.float32).fit(texts)
        else:
            self.chars_ = None
        return self

    def transform(self, X):
        check_is_fitted(self, "words_")
        items = check_texts(X)
        analysed = analyse(items, self.spacy_model)
        blocks = [self.words_.transform([a[0] for a in analysed])]
        if self.chars_ is not None:
            blocks.append(self.chars_.transform([t if isinstance(t, str) else t.text for t in items]))
        blocks.append(self._cue_matrix([a[1] for a in analysed]))
        return sp.hstack(blocks, format="csr", dtype=np.float32)

    def _cue_matrix(self, cue_strings: list[str]) -> sp.csr_matrix:
        index = {name: i for i, name in enumerate(_CUE_COLUMNS)}
        rows, cols, vals = [], [], []
        for r, cues in enumerate(cue_strings):
            counts: dict[int, int] = {}
            for name in cues.split():
                counts[index[name]] = counts.get(index[name], 0) + 1
            for c, n in counts.items():
                rows.append(r)
                cols.append(c)
                vals.append(self.cue_weight * np.log1p(n))
        return sp.csr_matrix((vals, (rows, cols)), shape=(len(cue_strings), len(_CUE_COLUMNS)), dtype=np.float32)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "words_")
        names = [f"word:{w}" for w in self.words_.get_feature_names_out()]
        if self.chars_ is not None:
            names += [f"chars:{c}" for c in self.chars_.get_feature_names_out()]
        names += [f"cue:{c}" if not c.startswith("shape_") else f"shape:{c[6:]}" for c in _CUE_COLUMNS]
        return np.asarray(names, dtype=object)

