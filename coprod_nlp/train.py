"""Training from the corpus (or any gold files), reproducibly from a seed, and grouped
cross-validation (folds by document, so no document is both trained and tested on)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import GroupKFold

from .dataset import DEFAULT_CORPUS, load_corpus, load_gold
from .errors import DataError
from .evaluate import scores
from .model import CoprodClassifier

log = logging.getLogger(__name__)


def training_data(sources: list[str | Path] | None = None, *, splits: tuple[str, ...] = ("train",)) -> pd.DataFrame:
    """Rows with ``text`` and the four heads from corpus folders (their ``splits``) or gold files.

    With no sources, the bundled corpus's train split.
    """
    frames = []
    for source in sources or [DEFAULT_CORPUS]:
        source = Path(source)
        if source.is_dir():
            _, sentences = load_corpus(source)
            frames.append(sentences[sentences["split"].isin(splits)])
        else:
            gold = load_gold(source)
            gold["doc_id"] = gold.get("doc_id", pd.Series([f"{source.stem}:{i}" for i in range(len(gold))]))
            frames.append(gold)
    data = pd.concat(frames, ignore_index=True)
    if data.empty:
        raise DataError("no training sentences found")
    return data


def train(data: pd.DataFrame, *, seed: int = 0, **params) -> CoprodClassifier:
    """Fit a :class:`CoprodClassifier` on ``data`` (``text`` plus the four heads)."""
    start = time.perf_counter()
    classifier = CoprodClassifier(random_state=seed, **params).fit(data["text"].tolist(), data)
    log.info("trained on %d sentences in %.1fs", len(data), time.perf_counter() - start)
    return classifier


def cross_validate(data: pd.DataFrame, *, folds: int = 5, seed: int = 0,
                   classifier: CoprodClassifier | None = None) -> dict:
    """Grouped k-fold cross-validation (groups = documents): mean and s.d. of each headline figure."""
    groups = data["doc_id"].to_numpy()
    splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    template = classifier or CoprodClassifier(random_state=seed)
    figures: dict[str, list[float]] = {}
    for train_idx, test_idx in splitter.split(data, groups=groups):
        fold_train, fold_test = data.iloc[train_idx], data.iloc[test_idx].reset_index(drop=True)
        model = clone(template).fit(fold_train["text"].tolist(), fold_train)
        s = scores(fold_test, model.predict(fold_test["text"].tolist()))
        for key, value in (("rung.macro_f1", s["rung"]["macro_f1"]), ("rung.within_one", s["rung"]["within_one"]),
                           ("rung.accuracy", s["rung"]["accuracy"]), ("principles.macro_f1", s["principles"]["macro_f1"]),
                           ("principles.micro_f1", s["principles"]["micro_f1"]),
                           ("mode.macro_f1", s["mode"]["macro_f1"]), ("level.macro_f1", s["level"]["macro_f1"])):
            figures.setdefault(key, []).append(value)
    return {key: {"mean": float(np.mean(v)), "sd": float(np.std(v, ddof=1)), "folds": [round(x, 4) for x in v]}
            for key, v in figures.items()}
