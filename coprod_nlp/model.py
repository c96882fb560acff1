"""The four-head sentence classifier, and saving and loading it safely.

:class:`CoprodClassifier` is a scikit-learn estimator: ``fit(X, y)`` on sentences and a table of
labels, ``predict(X)`` returning a DataFrame with ``principles``, ``rung``, ``mode`` and
``level``, ``predict_proba(X)`` returning calibrated probabilities per head. The heads share one
feature matrix (:class:`~coprod_nlp.features.SentenceFeatures`):

- ``rung``: a multinomial logistic regression over the eight rungs, calibrated; the decision is
  ordinal-aware (``rung_decision="median"`` picks the rung that minimises the expected distance
  on the ladder, so that an error of one rung is preferred to an error of six);
- ``mode`` and ``level``: models of ``P(mode | involvement)`` and ``P(level | involvement)``
  trained on sentences whose rung is not ``none``, combined with ``P(rung = none)`` so that
  ``mode`` and ``level`` are ``none`` exactly when the rung is;
- ``principles``: one calibrated binary model per principle.

Each head has two views of a sentence: its words, lemmas and cue patterns (sparse), and, unless
``embeddings=None``, a dense sentence embedding (:mod:`coprod_nlp.embeddings`). The two views'
calibrated probabilities are averaged with weight ``embedding_weight`` on the dense one: the
words give precision and explanations, the embedding tolerates wording the corpus never used.

Models are saved with joblib beside a JSON card of versions and checksum. :func:`load` verifies
the SHA-256 of a model file against the checksums the package records before unpickling it
(unpickling runs code); any other file needs ``trust=True`` or its expected ``sha256``.
"""

from __future__ import annotations

import json
import logging
import platform
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from . import __version__
from .errors import DataError, ModelError
from .embeddings import MODELS_DIR, make_embedder, sha256_of
from .features import SentenceFeatures, check_texts
from .labels import LEVELS, MODES, NONE, PRINCIPLES, RUNGS, validate_labels

log = logging.getLogger(__name__)

HEAD_NAMES = ("principles", "rung", "mode", "level")
#: Probability a principle needs on a sentence whose rung is ``none``.
NONE_PRINCIPLE_THRESHOLD = 0.5
DEFAULT_MODEL_NAME = "coprod-v1"
_TRUSTED_FILE = Path(__file__).with_name("trusted_models.json")


def _targets(y, n: int) -> pd.DataFrame:
    """Validate labels given as a DataFrame or a list of dicts with the four heads."""
    frame = y.copy() if isinstance(y, pd.DataFrame) else pd.DataFrame(list(y))
    missing = [h for h in HEAD_NAMES if h not in frame.columns]
    if missing:
        raise DataError(f"labels lack the column(s) {', '.join(missing)}")
    if len(frame) != n:
        raise DataError(f"{n} sentences but {len(frame)} label rows")
    for i, row in enumerate(frame[list(HEAD_NAMES)].itertuples(index=False)):
        problems = validate_labels(list(row.principles), row.rung, row.mode, row.level)
        if problems:
            raise DataError(f"label row {i}: {problems[0]}")
    return frame.reset_index(drop=True)


class CoprodClassifier(BaseEstimator):
    """Tag sentences with principles, rung, mode and level.

    Parameters
    ----------
    features:
        A :class:`SentenceFeatures` (cloned at fit); default settings when ``None``.
    C:
        Inverse regularisation strength of the logistic regressions.
    class_weight:
        ``"balanced"`` to weight rare labels up (helps macro-F1), or ``None``.
    rung_decision:
        ``"argmax"`` (most probable rung) or ``"median"`` (the rung minimising the expected
        distance on the ladder).
    neighbour_weight:
        For ``"argmax"``: each rung is scored by its probability plus this weight times the
        probabilities of the rungs either side of it on the ladder, so that a sentence torn
        between two rungs two apart leans to the rung between them (0: plain argmax; 1: the rung
        most likely to be within one of the truth). The ladder is ordinal: an error of one rung
        is not as bad as an error of three.
    principle_threshold:
        Probability above which a principle is predicted.
    embeddings:
        Dense view: ``"static"`` (distilled MiniLM, numpy only), ``"minilm"`` (the transformer,
        needs the ``embeddings`` extra) or ``None`` (words and cues only).
    embedding_weight:
        Weight of the dense view's probabilities in each head (0 to 1).
    calibration_folds:
        Folds of the sigmoid calibration of each head's probabilities.
    random_state:
        Seed for the calibration folds.

    Example
    -------
    >>> clf = CoprodClassifier().fit(sentences, labels)          # doctest: +SKIP
    >>> clf.predict(["Carers co-chair the Partnership Board."])   # doctest: +SKIP
    """

    def __init__(self, features=None, C=4.0, class_weight="balanced", rung_decision="argmax",
                 neighbour_weight=0.0, principle_threshold=0.3, embeddings="static", embedding_weight=0.25,
                 calibration_folds=3, random_state=0):
        self.features = features
        self.embeddings = embeddings
        self.embedding_weight = embedding_weight
        self.C = C
        self.class_weight = class_weight
        self.rung_decision = rung_decision
        self.neighbour_weight = neighbour_weight
        self.principle_threshold = principle_threshold
        self.calibration_folds = calibration_folds
        self.random_state = random_state

    # -- fitting ----------------------------------------------------------------------------

    def _head(self, Z, y) -> CalibratedClassifierCV:
        y = np.asarray(y)
        folds = min(self.calibration_folds, int(pd.Series(y).value_counts().min()))
        base = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=2000,
                                  solver="liblinear" if len(set(y)) == 2 else "lbfgs")
        if folds < 2:  # too few examples of some class to calibrate: plain logistic probabilities
            return base.fit(Z, y)
        cv = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
        return CalibratedClassifierCV(base, method="sigmoid", cv=cv, ensemble=False).fit(Z, y)

    def fit(self, X, y) -> "CoprodClassifier":
        """Fit all four heads on sentences ``X`` and labels ``y`` (DataFrame or list of dicts)."""
        if self.rung_decision not in ("argmax", "median"):
            raise ValueError(f"rung_decision must be 'argmax' or 'median', got {self.rung_decision!r}")
        items = check_texts(X)
        labels = _targets(y, len(items))
        if labels["rung"].nunique() < 2:
            raise DataError("training needs at least two different rungs")
        self.features_ = clone(self.features) if self.features is not None else SentenceFeatures()
        Z = self.features_.fit(items).transform(items)
        self.embedder_ = make_embedder(self.embeddings)
        E = self._embed(items)
        involved = labels["rung"].ne(NONE).to_numpy()
        self.rung_model_ = self._head(Z, labels["rung"])
        self.mode_model_ = self._head(Z[involved], labels.loc[involved, "mode"])
        self.level_model_ = self._head(Z[involved], labels.loc[involved, "level"])
        self.principle_models_ = {}
        self.dense_ = {}
        for p in PRINCIPLES:
            target = labels["principles"].apply(lambda ps, p=p: p in ps).astype(int)
            if target.nunique() == 2:
                self.principle_models_[p] = self._head(Z, target)
                if E is not None:
                    self.dense_[f"principle:{p}"] = self._head(E, target)
        if E is not None:
            self.dense_["rung"] = self._head(E, labels["rung"])
            self.dense_["mode"] = self._head(E[involved], labels.loc[involved, "mode"])
            self.dense_["level"] = self._head(E[involved], labels.loc[involved, "level"])
        self.classes_ = {"principles": PRINCIPLES, "rung": RUNGS, "mode": MODES, "level": LEVELS}
        self.n_features_ = Z.shape[1]
        return self

    # -- prediction -------------------------------------------------------------------------

    @staticmethod
    def _aligned(model, Z, classes) -> np.ndarray:
        """Probabilities in the order of ``classes`` (zeros for classes the model never saw)."""
        proba = model.predict_proba(Z)
        out = np.zeros((Z.shape[0], len(classes)))
        for j, c in enumerate(model.classes_):
            if c in classes:
                out[:, classes.index(c)] = proba[:, j]
        return out

    def predict_proba(self, X) -> dict[str, np.ndarray]:
        """Calibrated probabilities per head, columns in the order of ``classes_[head]``.

        ``principles`` holds one independent probability per principle; the other heads hold a
        distribution over their values.
        """
        check_is_fitted(self, "rung_model_")
        return self._proba(*self._views(check_texts(X)))

    def _embed(self, items: list):
        if self.embedder_ is None:
            return None
        return self.embedder_.encode([t if isinstance(t, str) else t.text for t in items])

    def _views(self, items: list):
        return self.features_.transform(items), self._embed(items)

    def _mix(self, sparse: np.ndarray, key: str, E, classes: list) -> np.ndarray:
        """Average a head's sparse probabilities with its dense view's (weight ``embedding_weight``)."""
        if E is None or key not in self.dense_:
            return sparse
        dense = self._aligned(self.dense_[key], E, classes)
        return (1 - self.embedding_weight) * sparse + self.embedding_weight * dense

    def _proba(self, Z, E=None) -> dict[str, np.ndarray]:
        rung = self._mix(self._aligned(self.rung_model_, Z, list(RUNGS)), "rung", E, list(RUNGS))
        p_none = rung[:, [0]]
        mode = self._mix(self._aligned(self.mode_model_, Z, list(MODES)), "mode", E, list(MODES))
        level = self._mix(self._aligned(self.level_model_, Z, list(LEVELS)), "level", E, list(LEVELS))
        mode = np.hstack([p_none, (1 - p_none) * mode[:, 1:] / mode[:, 1:].sum(1, keepdims=True)])
        level = np.hstack([p_none, (1 - p_none) * level[:, 1:] / level[:, 1:].sum(1, keepdims=True)])
        principles = np.zeros((Z.shape[0], len(PRINCIPLES)))
        for j, p in enumerate(PRINCIPLES):
            if p in self.principle_models_:
                sparse = self.principle_models_[p].predict_proba(Z)[:, [1]]
                principles[:, j] = self._mix(sparse, f"principle:{p}", E, [1])[:, 0]
        return {"principles": principles, "rung": rung, "mode": mode, "level": level}

    def _decide(self, proba: dict[str, np.ndarray]) -> pd.DataFrame:
        rung_p = proba["rung"]
        if self.rung_decision == "median":
            rung_idx = (np.cumsum(rung_p, axis=1) >= 0.5).argmax(axis=1)
        else:
            neighbours = np.zeros_like(rung_p)
            neighbours[:, 1:] += rung_p[:, :-1]
            neighbours[:, :-1] += rung_p[:, 1:]
            rung_idx = (rung_p + self.neighbour_weight * neighbours).argmax(axis=1)
        rungs = np.asarray(RUNGS, dtype=object)[rung_idx]
        involved = rungs != NONE
        modes = np.where(involved, np.asarray(MODES, dtype=object)[1 + proba["mode"][:, 1:].argmax(1)], NONE)
        levels = np.where(involved, np.asarray(LEVELS, dtype=object)[1 + proba["level"][:, 1:].argmax(1)], NONE)
        # a principle on a sentence that describes no relationship needs stronger evidence: the
        # corpus gives few (value statements), and a stray one would add breadth to a finance page
        thresholds = np.where(involved, self.principle_threshold,
                              max(self.principle_threshold, NONE_PRINCIPLE_THRESHOLD))
        principles = [[p for p, v in zip(PRINCIPLES, row) if v >= t]
                      for row, t in zip(proba["principles"], thresholds)]
        return pd.DataFrame({"principles": principles, "rung": rungs, "mode": modes, "level": levels})

    def predict(self, X) -> pd.DataFrame:
        """Labels per sentence: a DataFrame with ``principles`` (list), ``rung``, ``mode``, ``level``."""
        return self._decide(self.predict_proba(X))

    def predict_with_proba(self, X) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
        """Labels and probabilities from one pass over the features."""
        check_is_fitted(self, "rung_model_")
        proba = self._proba(*self._views(check_texts(X)))
        return self._decide(proba), proba

    def score(self, X, y) -> float:
        """Macro-F1 of the rung (the headline figure), so ``cross_validate`` works unchanged."""
        labels = _targets(y, len(check_texts(X)))
        return float(f1_score(labels["rung"], self.predict(X)["rung"], average="macro"))

    # -- explanation ------------------------------------------------------------------------

    def _linear(self, model):
        """The logistic regression inside a (calibrated) head."""
        if isinstance(model, CalibratedClassifierCV):
            return model.calibrated_classifiers_[0].estimator
        return model

    def explain(self, X, top: int = 5) -> list[dict[str, list[tuple[str, float]]]]:
        """For each sentence, the features that pushed each predicted label up the most.

        Returns, per sentence, ``{head: [(feature, contribution), ...]}`` with the predicted rung,
        mode, level and each predicted principle as heads (``principle:assets`` ...), from the
        sparse view (the dense embedding view has no readable features). Features are
        ``word:...`` (lemma n-grams), ``chars:...``, ``cue:...`` (matched cue patterns) and
        ``shape:...`` (length, numbering, headings).
        """
        check_is_fitted(self, "rung_model_")
        items = check_texts(X)
        Z, E = self._views(items)
        predicted = self._decide(self._proba(Z, E))
        names = self.features_.get_feature_names_out()
        out = []
        for i in range(Z.shape[0]):
            row = Z.getrow(i)
            result = {}
            pred = predicted.iloc[i]
            targets = [("rung", self.rung_model_, pred["rung"])]
            if pred["rung"] != NONE:
                targets += [("mode", self.mode_model_, pred["mode"]), ("level", self.level_model_, pred["level"])]
            targets += [(f"principle:{p}", self.principle_models_[p], 1) for p in pred["principles"]]
            for head, model, label in targets:
                result[head] = self._contributions(row, self._linear(model), label, names, top)
            out.append(result)
        return out

    @staticmethod
    def _contributions(row, lr: LogisticRegression, label, names, top: int) -> list[tuple[str, float]]:
        classes = list(lr.classes_)
        coef = lr.coef_
        if coef.shape[0] == 1:  # binary: the coefficient row speaks for classes[1]
            weights = coef[0] if label == classes[1] else -coef[0]
        else:
            k = classes.index(label)
            weights = coef[k] - coef.mean(axis=0)
        contrib = row.multiply(weights).tocsr()
        order = np.argsort(-contrib.data)[:top]
        return [(str(names[contrib.indices[j]]), round(float(contrib.data[j]), 3))
                for j in order if contrib.data[j] > 0]


# ---------------------------------------------------------------------------------------------
# persistence


@dataclass
class LoadedModel:
    """A classifier with the card it was saved with (versions, training data, metrics)."""

    classifier: CoprodClassifier
    card: dict
    path: Path
    sha256: str

    @property
    def name(self) -> str:
        return self.card.get("name", self.path.parent.name)

    @property
    def unreliable(self) -> list[str]:
        """Labels (``head:value``) whose held-out F1 was under the reliability floor when the
        model was trained and evaluated: treat these predictions with caution."""
        return list(self.card.get("unreliable_labels", []))


def versions() -> dict[str, str]:
    import sklearn
    import spacy

    return {"coprod_nlp": __version__, "scikit-learn": sklearn.__version__, "spacy": spacy.__version__,
            "numpy": np.__version__, "pandas": pd.__version__, "joblib": joblib.__version__,
            "python": platform.python_version()}


def save(classifier: CoprodClassifier, folder: str | Path, card: dict | None = None) -> Path:
    """Write ``model.joblib`` and ``card.json`` (versions, SHA-256, anything in ``card``) to ``folder``."""
    check_is_fitted(classifier, "rung_model_")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "model.joblib"
    joblib.dump(classifier, path, compress=3)
    info = {"name": folder.name, "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "versions": versions(), **(card or {}), "sha256": sha256_of(path)}
    (folder / "card.json").write_text(json.dumps(info, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def trusted_checksums() -> dict[str, str]:
    """SHA-256 of the model files this package ships, by model name."""
    if not _TRUSTED_FILE.exists():
        return {}
    return json.loads(_TRUSTED_FILE.read_text(encoding="utf-8"))


def resolve(model: str | Path | None) -> Path:
    """The model file for a name in ``models/`` (default ``coprod-v1``), a folder or a file path."""
    model = model or DEFAULT_MODEL_NAME
    path = Path(model)
    if not path.exists() and (MODELS_DIR / str(model)).exists():
        path = MODELS_DIR / str(model)
    if path.is_dir():
        path = path / "model.joblib"
    if not path.exists():
        known = ", ".join(sorted(p.name for p in MODELS_DIR.iterdir() if p.is_dir())) if MODELS_DIR.exists() else "none"
        raise ModelError(f"no model at {model} (models shipped in {MODELS_DIR}: {known})")
    return path


def load(model: str | Path | None = None, *, trust: bool = False, sha256: str | None = None) -> LoadedModel:
    """Load a model after checking its SHA-256.

    Parameters
    ----------
    model:
        A model name in ``models/`` (default: the shipped ``coprod-v1``), a model folder or a
        ``.joblib`` file.
    trust:
        Load a file whose checksum the package does not record. Unpickling runs code: only for
        files you produced yourself.
    sha256:
        The expected checksum of a model you trained (printed by ``coprod train``).

    Raises
    ------
    ModelError
        The file is missing, its checksum is unknown or wrong, or it is not a coprod model.
    """
    path = resolve(model)
    digest = sha256_of(path)
    recorded = trusted_checksums()
    if sha256 is not None:
        if digest != sha256.lower():
            raise ModelError(f"{path}: SHA-256 {digest[:12]}… does not match the expected {sha256[:12]}…; "
                             "the file has changed, refusing to load it")
    elif digest not in recorded.values():
        if path.parent.name in recorded:
            raise ModelError(f"{path}: SHA-256 {digest[:12]}… differs from the recorded checksum of "
                             f"{path.parent.name}; the file has been modified, refusing to load it")
        if not trust:
            raise ModelError(f"{path}: not a model shipped with coprod-nlp (unknown SHA-256 {digest[:12]}…); "
                             "loading a pickle runs code, so pass trust=True (--trust-model) or its sha256 "
                             "if you produced it")
        log.warning("loading untrusted model file %s on explicit request", path)
    card_path = path.with_name("card.json")
    card = json.loads(card_path.read_text(encoding="utf-8")) if card_path.exists() else {}
    saved = card.get("versions", {})
    current = versions()
    for lib in ("scikit-learn", "spacy"):
        if saved.get(lib) and saved[lib].split(".")[:2] != current[lib].split(".")[:2]:
            log.warning("%s was saved with %s %s but %s is installed; predictions may differ",
                        path, lib, saved[lib], current[lib])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # sklearn's patch-version pickle warnings
        try:
            classifier = joblib.load(path)
        except Exception as exc:
            raise ModelError(f"{path}: could not be loaded ({type(exc).__name__}: {exc})") from None
    if not isinstance(classifier, CoprodClassifier):
        raise ModelError(f"{path}: holds a {type(classifier).__name__}, not a CoprodClassifier")
    return LoadedModel(classifier, card, path, digest)
