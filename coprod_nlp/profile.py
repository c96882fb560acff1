"""From tagged sentences to an embeddedness profile: breadth, depth, pervasiveness, a score, the
lip-service index with its bootstrap interval, and the evidence behind each.

Definitions (``r`` is a rung's place on the ladder, none = 0 … co_production = 7; "involvement"
means a rung other than none):

- **breadth**: per principle, the sentences showing it; ``principles_present`` counts the
  principles with at least ``min_support`` sentences.
- **depth**: rung counts split by mode. ``claimed_top_rung`` and ``practised_top_rung`` are the
  highest rungs with at least ``min_support`` sentences in rhetoric and in practice;
  ``median_practised_rung`` is the median rung of the practice sentences.
- **pervasiveness**: involvement sentences per level (individual, service, strategic).
- **embeddedness** (0–100) = 100 × (0.40 D + 0.20 B + 0.20 P + 0.20 I), where
  D = practised top rung / 7 (how deep practice goes), B = principles present / 6,
  P = levels (of three) with at least ``min_support`` practice sentences at engagement or above
  (from the boardroom down), I = min(1, share of sentences that describe involvement in practice
  at engagement or above / 0.25) (how much of the document is about it).
- **lip-service index** (0–1): the mean, over rhetoric sentences claiming a rung of engagement or
  above, of max(0, claimed r − practised top r) / 7: 0 when practice reaches every claim, 1 when
  co-production is claimed and nothing is practised. Its 95% interval is a percentile bootstrap
  over sentences; ``lip_service`` is set only when the interval's lower bound exceeds
  :data:`LIP_SERVICE_THRESHOLD` and at least :data:`MIN_CLAIMS` such claims are made.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from .labels import DISPLAY, LEVELS, NONE, PRINCIPLES, RUNG_ORDER, RUNGS
from .tagger import TaggedSentence

#: Lower bound of the lip-service interval above which a document is flagged.
LIP_SERVICE_THRESHOLD = 0.2
#: Claims (rhetoric at engagement or above) needed before lip service can be flagged.
MIN_CLAIMS = 3
#: Rung from which claims are judged and practice counts as substantive involvement.
SUBSTANTIVE = RUNG_ORDER["engagement"]
WEIGHTS = {"depth": 0.40, "breadth": 0.20, "pervasiveness": 0.20, "intensity": 0.20}
INTENSITY_SATURATION = 0.25
LEVEL_NAMES = tuple(level for level in LEVELS if level != NONE)
INVOLVEMENT_RUNGS = tuple(r for r in RUNGS if r != NONE)


@dataclass
class Evidence:
    """One sentence quoted as evidence, with where to find it."""

    text: str
    source: str
    page: int | None
    section: str | None
    paragraph: int
    rung: str
    mode: str
    level: str
    probability: float
    principles: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, t: TaggedSentence, probability: float | None = None) -> "Evidence":
        s = t.sentence
        return cls(s.text, s.source, s.page, s.section, s.paragraph, t.rung, t.mode, t.level,
                   round(float(t.confidence if probability is None else probability), 3), list(t.principles))

    @property
    def citation(self) -> str:
        where = [f"page {self.page}"] if self.page is not None else []
        if self.section:
            where.append(f"section {self.section}")
        return ", ".join(where) or f"paragraph {self.paragraph + 1}"


@dataclass
class Profile:
    """The embeddedness profile of a document or a set of documents."""

    name: str
    n_documents: int
    n_sentences: int
    n_involvement: int
    principles: dict[str, dict[str, float]]
    principles_present: int
    rung_counts: dict[str, dict[str, int]]
    claimed_top_rung: str
    practised_top_rung: str
    median_practised_rung: str
    levels: dict[str, dict[str, float]]
    components: dict[str, float]
    embeddedness: float
    embeddedness_ci95: tuple[float, float]
    lip_service_index: float
    lip_service_ci95: tuple[float, float]
    n_claims: int
    lip_service: bool
    evidence: dict[str, list[Evidence]] = field(repr=False)
    min_support: int = 2
    draws: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def __repr__(self) -> str:
        lo, hi = self.lip_service_ci95
        return (f"Profile({self.name!r}: embeddedness {self.embeddedness:.0f}/100, "
                f"claims {DISPLAY[self.claimed_top_rung]}, practice reaches {DISPLAY[self.practised_top_rung]}, "
                f"lip-service index {self.lip_service_index:.2f} [{lo:.2f}, {hi:.2f}]"
                f"{', LIP SERVICE' if self.lip_service else ''}; {self.principles_present}/6 principles; "
                f"{self.n_sentences} sentences)")

    @property
    def summary(self) -> str:
        """One plain-English sentence a lay reader understands."""
        claimed = DISPLAY[self.claimed_top_rung].lower()
        practised = DISPLAY[self.practised_top_rung].lower()
        if self.n_involvement == 0:
            return "Says nothing about working with the people who use its services."
        if self.claimed_top_rung == NONE:
            text = f"Makes no general claims; the practice it shows reaches {practised}."
        elif self.practised_top_rung == NONE:
            text = f"Claims {claimed}, but shows no concrete practice to back it."
        else:
            text = f"Claims {claimed}; the practice it shows reaches {practised}."
        if self.lip_service:
            text += " The gap between claims and practice is large enough to call lip service."
        return text

    def to_dict(self) -> dict:
        """The ``profile`` object of ``coprod score --json`` (evidence is separate: :meth:`evidence_dict`)."""
        out = asdict(self)
        for key in ("evidence", "draws"):
            out.pop(key)
        out["embeddedness_ci95"] = list(self.embeddedness_ci95)
        out["lip_service_ci95"] = list(self.lip_service_ci95)
        out["summary"] = self.summary
        return out

    def evidence_dict(self) -> dict[str, list[dict]]:
        return {key: [asdict(e) | {"citation": e.citation} for e in items] for key, items in self.evidence.items()}

    def to_frame(self) -> pd.DataFrame:
        """One row of flat figures (as :func:`compare` stacks them)."""
        row = {"name": self.name, "documents": self.n_documents, "sentences": self.n_sentences,
               "embeddedness": self.embeddedness, "embeddedness_lo": self.embeddedness_ci95[0],
               "embeddedness_hi": self.embeddedness_ci95[1], "lip_service_index": self.lip_service_index,
               "lip_service_lo": self.lip_service_ci95[0], "lip_service_hi": self.lip_service_ci95[1],
               "lip_service": self.lip_service, "claimed_top_rung": self.claimed_top_rung,
               "practised_top_rung": self.practised_top_rung, "median_practised_rung": self.median_practised_rung,
               "principles_present": self.principles_present}
        row.update({f"principle_share_{p}": v["share"] for p, v in self.principles.items()})
        row.update({f"level_share_{lv}": v["share"] for lv, v in self.levels.items()})
        row.update({f"component_{k}": v for k, v in self.components.items()})
        return pd.DataFrame([row]).set_index("name")


# ---------------------------------------------------------------------------------------------
# the arithmetic, on arrays so that the bootstrap is cheap


def _arrays(tagged: list[TaggedSentence]) -> dict[str, np.ndarray]:
    return {
        "rung": np.array([RUNG_ORDER[t.rung] for t in tagged], dtype=int),
        "rhetoric": np.array([t.mode == "rhetoric" for t in tagged], dtype=bool),
        "practice": np.array([t.mode == "practice" for t in tagged], dtype=bool),
        "level": np.array([LEVEL_NAMES.index(t.level) if t.level != NONE else -1 for t in tagged], dtype=int),
        "principles": np.array([[p in t.principles for p in PRINCIPLES] for t in tagged], dtype=bool).reshape(-1, 6),
    }


def _top(rungs: np.ndarray, min_support: int) -> int:
    counts = np.bincount(rungs, minlength=len(RUNGS))
    for r in range(len(RUNGS) - 1, 0, -1):
        if counts[r] >= min_support:
            return r
    return 0


def _measures(a: dict[str, np.ndarray], min_support: int) -> tuple[float, float, dict[str, float], int]:
    """Embeddedness, lip-service index, components and number of claims for one sample."""
    n = len(a["rung"])
    practice_rungs = a["rung"][a["practice"]]
    practised_top = _top(practice_rungs, min_support)
    substantive = a["practice"] & (a["rung"] >= SUBSTANTIVE)
    depth = practised_top / (len(RUNGS) - 1)
    breadth = float(np.sum(a["principles"].sum(axis=0) >= min_support)) / len(PRINCIPLES)
    pervasive = sum(np.sum(substantive & (a["level"] == k)) >= min_support for k in range(3)) / 3
    intensity = min(1.0, (substantive.sum() / n) / INTENSITY_SATURATION) if n else 0.0
    components = {"depth": depth, "breadth": breadth, "pervasiveness": float(pervasive), "intensity": float(intensity)}
    score = 100 * sum(WEIGHTS[k] * v for k, v in components.items())
    claims = a["rung"][a["rhetoric"] & (a["rung"] >= SUBSTANTIVE)]
    gaps = np.clip(claims - practised_top, 0, None) / (len(RUNGS) - 1)
    lsi = float(gaps.mean()) if len(claims) else 0.0
    return float(score), lsi, components, int(len(claims))


def profile(tagged: list[TaggedSentence], name: str = "document", *, n_documents: int = 1,
            min_support: int = 2, n_boot: int = 1000, seed: int = 0, n_evidence: int = 8) -> Profile:
    """The profile of a document's (or a set of documents') tagged sentences.

    Parameters
    ----------
    tagged:
        Tagged sentences (from :func:`coprod_nlp.tagger.tag`).
    min_support:
        Sentences needed for a rung, principle or level to count as present.
    n_boot, seed:
        Bootstrap resamples (over sentences) for the intervals, and their seed: the same input
        always gives the same profile.
    """
    a = _arrays(tagged)
    n = len(tagged)
    score, lsi, components, n_claims = _measures(a, min_support) if n else (0.0, 0.0, dict.fromkeys(WEIGHTS, 0.0), 0)
    rng = np.random.default_rng(seed)
    scores, indices = np.zeros(n_boot), np.zeros(n_boot)
    if n:
        for b in range(n_boot):
            pick = rng.integers(0, n, n)
            scores[b], indices[b], _, _ = _measures({k: v[pick] for k, v in a.items()}, min_support)
    emb_ci = (float(np.percentile(scores, 2.5)), float(np.percentile(scores, 97.5)))
    lsi_ci = (float(np.percentile(indices, 2.5)), float(np.percentile(indices, 97.5)))

    involvement = a["rung"] > 0
    principle_counts = a["principles"].sum(axis=0)
    principles = {p: {"count": int(principle_counts[j]), "share": round(float(principle_counts[j]) / n, 4) if n else 0.0}
                  for j, p in enumerate(PRINCIPLES)}
    rung_counts = {mode: {r: int(np.sum(a[mode] & (a["rung"] == RUNG_ORDER[r]))) for r in INVOLVEMENT_RUNGS}
                   for mode in ("rhetoric", "practice")}
    level_counts = Counter(t.level for t in tagged if t.level != NONE)
    n_inv = int(involvement.sum())
    levels = {lv: {"count": level_counts[lv], "share": round(level_counts[lv] / n_inv, 4) if n_inv else 0.0}
              for lv in LEVEL_NAMES}
    practice_rungs = np.sort(a["rung"][a["practice"]])
    median = RUNGS[int(practice_rungs[(len(practice_rungs) - 1) // 2])] if len(practice_rungs) else NONE
    practised_top = _top(a["rung"][a["practice"]], min_support)
    claimed_top = _top(a["rung"][a["rhetoric"]], min_support)

    return Profile(
        name=name, n_documents=n_documents, n_sentences=n, n_involvement=n_inv, principles=principles,
        principles_present=int(np.sum(principle_counts >= min_support)), rung_counts=rung_counts,
        claimed_top_rung=RUNGS[claimed_top], practised_top_rung=RUNGS[practised_top],
        median_practised_rung=median, levels=levels,
        components={k: round(v, 4) for k, v in components.items()}, embeddedness=round(score, 1),
        embeddedness_ci95=(round(emb_ci[0], 1), round(emb_ci[1], 1)), lip_service_index=round(lsi, 4),
        lip_service_ci95=(round(lsi_ci[0], 4), round(lsi_ci[1], 4)), n_claims=n_claims,
        lip_service=bool(n_claims >= MIN_CLAIMS and lsi_ci[0] > LIP_SERVICE_THRESHOLD),
        evidence=_evidence(tagged, practised_top, n_evidence), min_support=min_support,
        draws={"embeddedness": scores, "lip_service_index": indices})


def _evidence(tagged: list[TaggedSentence], practised_top: int, k: int) -> dict[str, list[Evidence]]:
    def ranked(items, key):
        return [Evidence.of(t, p) for t, p in sorted(items, key=key, reverse=True)[:k]]

    claims = [(t, t.confidence) for t in tagged if t.mode == "rhetoric" and RUNG_ORDER[t.rung] >= SUBSTANTIVE
              and RUNG_ORDER[t.rung] > practised_top]
    practice = [(t, t.confidence) for t in tagged if t.mode == "practice" and t.rung != NONE]
    rhetoric = [(t, t.confidence) for t in tagged if t.mode == "rhetoric"]
    out = {
        "claims_without_practice": ranked(claims, lambda x: (RUNG_ORDER[x[0].rung], x[1])),
        "strongest_practice": ranked(practice, lambda x: (RUNG_ORDER[x[0].rung], x[1])),
        "highest_claims": ranked(rhetoric, lambda x: (RUNG_ORDER[x[0].rung], x[1])),
    }
    for p in PRINCIPLES:
        out[f"principle:{p}"] = ranked([(t, t.proba["principles"][p]) for t in tagged if p in t.principles],
                                       lambda x: x[1])
    for lv in LEVEL_NAMES:
        out[f"level:{lv}"] = ranked([(t, t.confidence) for t in tagged if t.level == lv and t.mode == "practice"],
                                    lambda x: (RUNG_ORDER[x[0].rung], x[1]))
    return out


# ---------------------------------------------------------------------------------------------
# comparison


def compare(profiles: list[Profile], reference: int | str = 0) -> pd.DataFrame:
    """Profiles side by side, one row each, with the difference from a reference row marked where
    the 95% bootstrap interval of the difference excludes zero (``+`` higher, ``-`` lower)."""
    if not profiles:
        return pd.DataFrame()
    frame = pd.concat([p.to_frame() for p in profiles])
    ref = profiles[reference] if isinstance(reference, int) else next(p for p in profiles if p.name == reference)
    for measure in ("embeddedness", "lip_service_index"):
        marks, diffs = [], []
        for p in profiles:
            diff = p.draws[measure] - ref.draws[measure] if p is not ref else np.zeros(1)
            lo, hi = np.percentile(diff, [2.5, 97.5])
            diffs.append(round(float(getattr(p, measure) - getattr(ref, measure)), 4))
            marks.append("" if p is ref or lo <= 0 <= hi else ("+" if lo > 0 else "-"))
        frame[f"{measure}_diff_vs_{ref.name}"] = diffs
        frame[f"{measure}_signif"] = marks
    return frame
