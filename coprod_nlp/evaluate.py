"""Evaluation against gold labels: metrics per head, the keyword baseline, bootstrap intervals,
and breakdowns by document type and country.

:func:`evaluate` returns a plain dict (the JSON of ``coprod evaluate --json``)::

    {"n": ..., "rung": {"macro_f1", "accuracy", "within_one", "per_label", "confusion", "ci"},
     "principles": {"macro_f1", "micro_f1", "per_label", "ci"}, "mode": {...}, "level": {...},
     "baseline": {the same figures for the keyword baseline}, "by_doc_type": {...},
     "by_country": {...}, "unreliable": [labels whose F1 is under the floor]}
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .baseline import KeywordBaseline
from .labels import HEADS, PRINCIPLES, RUNG_ORDER, RUNGS

#: F1 under which a label is called unreliable (in the model card and the API).
RELIABILITY_FLOOR = 0.5
#: Labels with fewer gold examples than this are not judged for reliability (too noisy).
MIN_SUPPORT_FOR_RELIABILITY = 10


def _f1_per_label(true: np.ndarray, pred: np.ndarray, labels: list) -> dict:
    out = {}
    for label in labels:
        tp = np.sum((pred == label) & (true == label))
        fp = np.sum((pred == label) & (true != label))
        fn = np.sum((pred != label) & (true == label))
        out[label] = float(2 * tp / (2 * tp + fp + fn)) if tp + fp + fn else 0.0
    return out


def _single_head(true, pred, values: tuple[str, ...]) -> dict:
    true, pred = np.asarray(true, dtype=object), np.asarray(pred, dtype=object)
    present = [v for v in values if v in set(true) | set(pred)]
    per = _f1_per_label(true, pred, present)
    return {"macro_f1": float(np.mean(list(per.values()))) if per else 0.0,
            "accuracy": float(np.mean(true == pred)),
            "per_label": per,
            "support": {v: int(np.sum(true == v)) for v in present}}


def _principle_matrix(lists) -> np.ndarray:
    return np.array([[p in ps for p in PRINCIPLES] for ps in lists], dtype=bool).reshape(-1, len(PRINCIPLES))


def _principles(true_lists, pred_lists) -> dict:
    t, p = _principle_matrix(true_lists), _principle_matrix(pred_lists)
    per, support = {}, {}
    for j, name in enumerate(PRINCIPLES):
        tp, fp, fn = np.sum(t[:, j] & p[:, j]), np.sum(~t[:, j] & p[:, j]), np.sum(t[:, j] & ~p[:, j])
        support[name] = int(t[:, j].sum())
        if tp + fp + fn:
            per[name] = float(2 * tp / (2 * tp + fp + fn))
    tp, fp, fn = np.sum(t & p), np.sum(~t & p), np.sum(t & ~p)
    return {"macro_f1": float(np.mean(list(per.values()))) if per else 0.0,
            "micro_f1": float(2 * tp / (2 * tp + fp + fn)) if tp + fp + fn else 0.0,
            "per_label": per, "support": support}


def scores(gold: pd.DataFrame, pred: pd.DataFrame) -> dict:
    """All figures of one labelling ``pred`` against ``gold`` (both with the four head columns),
    with the rung confusion matrix."""
    result = _figures(gold, pred)
    labels = [r for r in RUNGS if r in set(gold["rung"]) | set(pred["rung"])]
    matrix = pd.crosstab(pd.Categorical(gold["rung"], labels), pd.Categorical(pred["rung"], labels),
                         dropna=False).to_numpy().tolist()
    result["rung"]["confusion"] = {"labels": labels, "rows": "gold", "columns": "predicted", "matrix": matrix}
    return result


def _figures(gold: pd.DataFrame, pred: pd.DataFrame) -> dict:
    """The figures of :func:`scores` without the confusion matrix (cheap enough to bootstrap)."""
    rung = _single_head(gold["rung"], pred["rung"], HEADS["rung"])
    distance = np.abs(gold["rung"].map(RUNG_ORDER).to_numpy() - pred["rung"].map(RUNG_ORDER).to_numpy())
    rung["within_one"] = float(np.mean(distance <= 1))
    rung["mean_distance"] = float(np.mean(distance))
    return {"n": int(len(gold)), "rung": rung,
            "principles": _principles(gold["principles"], pred["principles"]),
            "mode": _single_head(gold["mode"], pred["mode"], HEADS["mode"]),
            "level": _single_head(gold["level"], pred["level"], HEADS["level"])}


HEADLINES = (("rung", "macro_f1"), ("rung", "within_one"), ("rung", "accuracy"), ("principles", "macro_f1"),
             ("principles", "micro_f1"), ("mode", "macro_f1"), ("level", "macro_f1"))


def bootstrap(gold: pd.DataFrame, pred: pd.DataFrame, *, n_boot: int = 1000, seed: int = 0,
              level: float = 0.95) -> dict[str, dict[str, list[float]]]:
    """Percentile bootstrap intervals (resampling sentences) of the headline figures."""
    rng = np.random.default_rng(seed)
    gold = gold.reset_index(drop=True)
    pred = pred.reset_index(drop=True)
    draws: dict[tuple[str, str], list[float]] = {k: [] for k in HEADLINES}
    for _ in range(n_boot):
        idx = rng.integers(0, len(gold), len(gold))
        s = _figures(gold.iloc[idx].reset_index(drop=True), pred.iloc[idx].reset_index(drop=True))
        for head, metric in HEADLINES:
            draws[(head, metric)].append(s[head][metric])
    lo, hi = (1 - level) / 2 * 100, (1 + level) / 2 * 100
    out: dict[str, dict[str, list[float]]] = {}
    for (head, metric), values in draws.items():
        out.setdefault(head, {})[metric] = [float(np.percentile(values, lo)), float(np.percentile(values, hi))]
    return out


def _with_ci(result: dict, ci: dict) -> dict:
    for head, metrics in ci.items():
        result[head]["ci95"] = metrics
    return result


def unreliable_labels(result: dict, floor: float = RELIABILITY_FLOOR,
                      min_support: int = MIN_SUPPORT_FOR_RELIABILITY) -> list[str]:
    """Labels (``head:value``) with enough gold support whose F1 is under ``floor``."""
    flagged = []
    for head in ("rung", "mode", "level", "principles"):
        per, support = result[head]["per_label"], result[head]["support"]
        for label, f1 in per.items():
            if support.get(label, 0) >= min_support and f1 < floor:
                flagged.append(f"{head}:{label}")
    return flagged


def evaluate(predict, gold: pd.DataFrame, *, n_boot: int = 1000, seed: int = 0,
             by: tuple[str, ...] = ("doc_type", "country")) -> dict:
    """Score a predictor (a function from a list of texts to a label DataFrame, or an object with
    ``predict``) and the keyword baseline on ``gold``, with bootstrap intervals and breakdowns."""
    texts = gold["text"].tolist()
    model_pred = (predict.predict if hasattr(predict, "predict") else predict)(texts).reset_index(drop=True)
    base_pred = KeywordBaseline().predict(texts)
    gold = gold.reset_index(drop=True)
    result = _with_ci(scores(gold, model_pred), bootstrap(gold, model_pred, n_boot=n_boot, seed=seed))
    result["baseline"] = _with_ci(scores(gold, base_pred), bootstrap(gold, base_pred, n_boot=n_boot, seed=seed))
    result["lead_over_baseline"] = {
        f"{head}.{metric}": result[head][metric] - result["baseline"][head][metric]
        for head, metric in (("rung", "macro_f1"), ("rung", "within_one"), ("principles", "macro_f1"),
                             ("mode", "macro_f1"), ("level", "macro_f1"))}
    for column in by:
        if column in gold.columns:
            groups = {}
            for value, index in gold.groupby(column).groups.items():
                s = scores(gold.loc[index].reset_index(drop=True), model_pred.loc[index].reset_index(drop=True))
                groups[str(value)] = {"n": s["n"], "rung_macro_f1": s["rung"]["macro_f1"],
                                      "rung_within_one": s["rung"]["within_one"],
                                      "principles_macro_f1": s["principles"]["macro_f1"],
                                      "mode_macro_f1": s["mode"]["macro_f1"], "level_macro_f1": s["level"]["macro_f1"]}
            result[f"by_{column}"] = groups
    result["unreliable"] = unreliable_labels(result)
    result["reliability_floor"] = RELIABILITY_FLOOR
    return result
