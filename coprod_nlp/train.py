"""Training from the corpus (or any gold files), reproducibly from a seed, and grouped
cross-validation (folds by document, so no document is both trained and tested on)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.model_selection import GroupKFold

from .dataset import DEFAULT_CORPUS, load_corpus, load_gold, without_headings
from .errors import DataError
from .evaluate import HEADLINES, scores
from .model import CoprodClassifier

log = logging.getLogger(__name__)


def training_data(sources: list[str | Path] | None = None, *, splits: tuple[str, ...] = ("train",)) -> pd.DataFrame:
    """Rows with ``text`` and the four heads from corpus folders (their ``splits``) or gold files.

    With no sources, the bundled corpus's train split. Section headings are left out: the tagger
    labels them ``none`` by rule.
    """
    frames = []
    for source in sources or [DEFAULT_CORPUS]:
        source = Path(source)
        if source.is_dir():
            _, sentences = load_corpus(source)
            frames.append(without_headings(sentences[sentences["split"].isin(splits)]))
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


def _fold_scores(template: CoprodClassifier, train: pd.DataFrame, test: pd.DataFrame) -> dict[str, float]:
    """Fit a clone of ``template`` on one fold and return its headline figures on the held-out part."""
    model = clone(template).fit(train["text"].tolist(), train)
    s = scores(test, model.predict(test["text"].tolist()))
    return {f"{head}.{metric}": s[head][metric] for head, metric in HEADLINES}


def cross_validate(data: pd.DataFrame, *, folds: int = 5, seed: int = 0,
                   classifier: CoprodClassifier | None = None, n_jobs: int = 1) -> dict:
    """Grouped k-fold cross-validation (groups = documents): mean and s.d. of each headline figure.

    ``n_jobs`` folds are fitted at once in worker processes (joblib; -1: all cores); the figures
    do not depend on it.
    """
    groups = data["doc_id"].to_numpy()
    splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    template = classifier or CoprodClassifier(random_state=seed)
    results = Parallel(n_jobs=n_jobs)(
        delayed(_fold_scores)(template, data.iloc[train_idx], data.iloc[test_idx].reset_index(drop=True))
        for train_idx, test_idx in splitter.split(data, groups=groups))
    figures: dict[str, list[float]] = {}
    for result in results:
        for key, value in result.items():
            figures.setdefault(key, []).append(value)
    return {key: {"mean": float(np.mean(v)), "sd": float(np.std(v, ddof=1)), "folds": [round(x, 4) for x in v]}
            for key, v in figures.items()}


def card_metrics(classifier: CoprodClassifier, *, test: pd.DataFrame | None = None,
                 gold: dict[str, pd.DataFrame] | None = None, n_boot: int = 1000) -> dict:
    """Figures for the model card: held-out test split and any gold files (with baseline and
    intervals), and the labels whose held-out F1 is under the reliability floor."""
    from .evaluate import evaluate

    out: dict = {"metrics": {}, "unreliable_labels": []}
    sets = ({"test_split": test} if test is not None else {}) | (gold or {})
    for name, frame in sets.items():
        result = evaluate(classifier, frame.reset_index(drop=True), n_boot=n_boot)
        out["metrics"][name] = {
            "n": result["n"],
            **{f"{h}_{m}": round(result[h][m], 4) for h, m in HEADLINES},
            "ci95": {f"{h}_{m}": [round(v, 4) for v in result[h]["ci95"][m]]
                     for h, m in (("rung", "macro_f1"), ("rung", "within_one"), ("principles", "macro_f1"),
                                  ("mode", "macro_f1"), ("level", "macro_f1"))},
            "baseline": {f"{h}_{m}": round(result["baseline"][h][m], 4)
                         for h, m in (("rung", "macro_f1"), ("rung", "within_one"), ("principles", "macro_f1"),
                                      ("mode", "macro_f1"), ("level", "macro_f1"))},
            "per_label_f1": {h: {k: round(v, 3) for k, v in result[h]["per_label"].items()}
                             for h in ("rung", "mode", "level", "principles")},
            "unreliable": result["unreliable"],
        }
        out["unreliable_labels"] = sorted(set(out["unreliable_labels"]) | set(result["unreliable"]))
    return out
