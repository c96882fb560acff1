"""Labelled data: the annotated corpus and gold files, their loading, validation, split and counts.

The corpus lives in ``data/corpus/`` as two JSON-lines files: ``documents.jsonl`` (one row per
document: ``doc_id``, ``title``, ``organisation``, ``doc_type``, ``org_type``, ``country``,
``year``, ``split``) and ``sentences.jsonl`` (one row per sentence, in reading order: ``id``,
``doc_id``, ``section``, ``paragraph``, ``text``, ``principles``, ``rung``, ``mode``, ``level``,
``hard_case``). ``double_annotation.jsonl`` holds the independent second labelling of a sample
of documents. A gold file (the format of the shared evaluation data) is any JSON-lines file whose
rows have ``text``, ``principles``, ``rung``, ``mode`` and ``level``.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError
from .labels import HEADS, MODES, NONE, PRINCIPLES, RUNGS, LEVELS, validate_labels

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"

DOC_TYPES = ("strategy", "coproduction_strategy", "engagement_strategy", "board_paper", "minutes",
             "annual_report", "quality_account", "commissioning_plan", "project_report",
             "job_description", "consultation_report", "web_page")
ORG_TYPES = ("nhs_trust", "icb", "primary_care", "council", "social_care_provider",
             "housing_association", "charity", "user_led_org", "healthwatch", "education", "police",
             "transport", "health_system", "government_agency", "research")
COUNTRIES = ("UK", "USA", "Canada", "Australia", "New Zealand", "Ireland")
HARD_CASES = ("buzzword_overclaim", "plain_words_power", "negation_admission", "plan_vs_report",
              "quote", "other_org", "people_no_relationship", "body_name", "partners_only")
SPLITS = ("train", "test")

DOCUMENT_COLUMNS = ("doc_id", "title", "organisation", "doc_type", "org_type", "country", "year", "split")
SENTENCE_COLUMNS = ("id", "doc_id", "section", "paragraph", "text", "principles", "rung", "mode",
                    "level", "hard_case")
GOLD_COLUMNS = ("text", "principles", "rung", "mode", "level")

#: Minimum counts the shipped corpus must meet (issue 3).
MINIMUMS = {
    "documents": 150,
    "sentences": 5000,
    "rung": {"coercion": 60, "educating": 150, "informing": 150, "consultation": 300,
             "engagement": 300, "co_design": 300, "co_production": 300},
    "principle": 200,
    "none_share": 0.35,
    "non_uk_share": 0.15,
    "hard_case_share": 0.20,
    "double_annotated_share": 0.10,
    "near_duplicate_share": 0.02,
}
NEAR_DUPLICATE_COSINE = 0.8


# ---------------------------------------------------------------------------------------------
# reading


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        raise DataError(f"{path}: no such file")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise DataError(f"{path}:{number}: each line must be a JSON object")
            rows.append(row)
    return rows


def load_corpus(path: str | Path = DEFAULT_CORPUS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load the corpus as ``(documents, sentences)`` DataFrames; sentences carry their document's
    metadata (``doc_type``, ``org_type``, ``country``, ``year``, ``split``) and ``is_heading``
    (the row is its section's heading: labelled ``none`` by the guidelines and by the tagger's rule)."""
    path = Path(path)
    documents = pd.DataFrame(read_jsonl(path / "documents.jsonl"))
    sentences = pd.DataFrame(read_jsonl(path / "sentences.jsonl"))
    for frame, columns, name in ((documents, DOCUMENT_COLUMNS, "documents"),
                                 (sentences, SENTENCE_COLUMNS, "sentences")):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise DataError(f"{path / (name + '.jsonl')}: missing columns {', '.join(missing)}")
    meta = documents[["doc_id", "doc_type", "org_type", "country", "year", "split"]]
    sentences["is_heading"] = sentences["text"].str.strip() == sentences["section"].fillna("").str.strip()
    return documents, sentences.merge(meta, on="doc_id", how="left")


def without_headings(sentences: pd.DataFrame) -> pd.DataFrame:
    """The rows the classifier learns from and is scored on: sentences, not section headings
    (the tagger labels headings ``none`` by rule, as the guidelines do)."""
    if "is_heading" not in sentences.columns:
        return sentences
    return sentences[~sentences["is_heading"]].reset_index(drop=True)


def load_gold(path: str | Path) -> pd.DataFrame:
    """Load a gold file (JSON lines with ``text``, ``principles``, ``rung``, ``mode``, ``level``).

    Raises
    ------
    DataError
        A row lacks a column or holds a label that is not in the scheme; the message names the
        line and the valid values.
    """
    path = Path(path)
    rows = read_jsonl(path)
    if not rows:
        raise DataError(f"{path}: no rows")
    for number, row in enumerate(rows, start=1):
        missing = [c for c in GOLD_COLUMNS if c not in row]
        if missing:
            raise DataError(f"{path}: row {number} lacks {', '.join(missing)}")
        problems = validate_labels(row["principles"], row["rung"], row["mode"], row["level"])
        if problems:
            raise DataError(f"{path}: row {number}: {problems[0]}")
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# near-duplicates


def near_duplicates(texts: list[str], threshold: float = NEAR_DUPLICATE_COSINE) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, cosine)`` with ``i < j`` whose word 1-2-gram count vectors have cosine
    similarity at or above ``threshold``."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    if len(texts) < 2:
        return []
    vectors = CountVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", lowercase=True)
    matrix = normalize(vectors.fit_transform(texts).astype(np.float32))
    pairs = []
    step = 1000
    for begin in range(0, matrix.shape[0], step):
        block = (matrix[begin:begin + step] @ matrix.T).toarray()
        rows, cols = np.nonzero(block >= threshold - 1e-6)
        for r, c in zip(rows.tolist(), cols.tolist()):
            i = begin + r
            if i < c:
                pairs.append((i, c, float(block[r, c])))
    return pairs


# ---------------------------------------------------------------------------------------------
# split


def split_documents(documents: pd.DataFrame, sentences: pd.DataFrame, *, test_share: float = 0.2,
                    seed: int = 13, tries: int = 500) -> dict[str, str]:
    """Assign whole documents to ``train`` or ``test``, stratified by organisation type and country,
    so that every label value appears in the test split at least :func:`_min_test_count` times.

    Returns ``{doc_id: split}``; tries successive seeds until the coverage holds.
    """
    strata = documents.groupby(["org_type", documents["country"].eq("UK")])["doc_id"].apply(list)
    for attempt in range(tries):
        rng = random.Random(seed + attempt)
        test: set[str] = set()
        for ids in strata:
            ids = sorted(ids)
            rng.shuffle(ids)
            k = int(round(len(ids) * test_share + rng.random() - 0.5))
            test.update(ids[:k])
        split = {d: ("test" if d in test else "train") for d in documents["doc_id"]}
        if _test_covers_labels(sentences, split):
            return split
    raise DataError(f"no document split in {tries} tries puts every label in the test split")


def _min_test_count(total: int) -> int:
    return max(1, min(20, total // 10))


def _test_covers_labels(sentences: pd.DataFrame, split: dict[str, str]) -> bool:
    in_test = sentences["doc_id"].map(split).eq("test")
    for head, values in HEADS.items():
        counts = sentences[head].value_counts()
        test_counts = sentences.loc[in_test, head].value_counts()
        if any(test_counts.get(v, 0) < _min_test_count(counts.get(v, 0)) for v in values if counts.get(v, 0)):
            return False
    all_p = Counter(p for ps in sentences["principles"] for p in ps)
    test_p = Counter(p for ps in sentences.loc[in_test, "principles"] for p in ps)
    return all(test_p[p] >= _min_test_count(all_p[p]) for p in PRINCIPLES if all_p[p])


# ---------------------------------------------------------------------------------------------
# validation


@dataclass
class Validation:
    """The outcome of :func:`validate_corpus`: problems (empty when the corpus is sound) and counts."""

    problems: list[str] = field(default_factory=list)
    counts: pd.DataFrame | None = None
    figures: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def validate_corpus(path: str | Path = DEFAULT_CORPUS, *, minimums: dict | None = None) -> Validation:
    """Check the corpus: schema, label values, duplicates and near-duplicates, split leakage,
    label coverage of the test split, the double annotation, and the minimum counts."""
    minimums = MINIMUMS if minimums is None else minimums
    result = Validation()
    problems = result.problems
    path = Path(path)
    try:
        documents, sentences = load_corpus(path)
    except DataError as exc:
        return Validation([str(exc)])

    # documents
    if documents["doc_id"].duplicated().any():
        problems.append(f"duplicate doc_id: {', '.join(documents.loc[documents['doc_id'].duplicated(), 'doc_id'])}")
    for column, allowed in (("doc_type", DOC_TYPES), ("org_type", ORG_TYPES), ("country", COUNTRIES),
                            ("split", SPLITS)):
        bad = documents.loc[~documents[column].isin(allowed)]
        for _, row in bad.iterrows():
            problems.append(f"document {row['doc_id']}: {column} {row[column]!r} is not one of {', '.join(allowed)}")
    bad_year = documents.loc[~documents["year"].apply(lambda y: isinstance(y, int) and 1990 <= y <= 2030)]
    problems.extend(f"document {d}: year must be an integer" for d in bad_year["doc_id"])

    # sentences: schema and labels
    if sentences["id"].duplicated().any():
        problems.append(f"duplicate sentence id: {', '.join(sentences.loc[sentences['id'].duplicated(), 'id'][:5])}")
    orphans = sentences.loc[sentences["split"].isna(), "id"]
    if len(orphans):
        problems.append(f"{len(orphans)} sentences belong to no listed document (e.g. {orphans.iloc[0]})")
    for row in sentences.itertuples():
        if not isinstance(row.text, str) or not row.text.strip():
            problems.append(f"sentence {row.id}: empty text")
            continue
        for problem in validate_labels(row.principles, row.rung, row.mode, row.level):
            problems.append(f"sentence {row.id}: {problem}")
        if isinstance(row.hard_case, str) and row.hard_case not in HARD_CASES or not (
                isinstance(row.hard_case, str) or pd.isna(row.hard_case)):
            problems.append(f"sentence {row.id}: hard_case {row.hard_case!r} is not one of {', '.join(HARD_CASES)}")
    if problems:
        return result  # counts of malformed labels would mislead

    # duplicates and near-duplicates among the sentences the model learns from (a heading such as
    # "Summary" recurs across real documents and is labelled none by rule)
    checked = without_headings(sentences)
    norm = checked["text"].str.lower().str.split().str.join(" ")
    exact = checked.loc[norm.duplicated(keep=False)]
    if len(exact):
        problems.append(f"{len(exact)} sentences are exact duplicates, e.g. {exact['text'].iloc[0]!r} "
                        f"({', '.join(exact['id'].iloc[:2])})")
    pairs = near_duplicates(checked["text"].tolist())
    involved = {i for i, j, _ in pairs} | {j for i, j, _ in pairs}
    share = len(involved) / max(1, len(checked))
    result.figures["near_duplicate_share"] = share
    if share >= minimums.get("near_duplicate_share", 1.0):
        i, j, cos = pairs[0]
        problems.append(f"{share:.1%} of sentences have a near-duplicate (cosine >= {NEAR_DUPLICATE_COSINE}), "
                        f"limit {minimums['near_duplicate_share']:.0%}; e.g. {checked['id'].iloc[i]} ~ "
                        f"{checked['id'].iloc[j]} ({cos:.2f})")

    # split leakage and coverage
    splits_per_doc = sentences.groupby("doc_id")["split"].nunique()
    if (splits_per_doc > 1).any():
        problems.append("a document has sentences in both splits")
    cross = [(i, j) for i, j, _ in pairs if checked["split"].iloc[i] != checked["split"].iloc[j]]
    if exact.size:
        leaked = exact.groupby(norm.loc[exact.index])["split"].nunique()
        if (leaked > 1).any():
            problems.append(f"{int((leaked > 1).sum())} sentence texts appear in both train and test")
    result.figures["cross_split_near_duplicates"] = len(cross)
    split = dict(zip(documents["doc_id"], documents["split"]))
    if "test" in split.values() and not _test_covers_labels(sentences, split):
        problems.append("the test split lacks some label value (every rung, mode, level and principle "
                        "must appear in it)")

    # double annotation
    double_path = path / "double_annotation.jsonl"
    double = read_jsonl(double_path) if double_path.exists() else []
    ids = set(sentences["id"])
    for row in double:
        if row.get("id") not in ids:
            problems.append(f"double annotation refers to unknown sentence {row.get('id')!r}")
            break
        for who in ("first", "second", "adjudicated"):
            labels = row.get(who)
            if labels is None and who == "adjudicated":
                continue  # the two labellings agreed
            labels = labels or {}
            found = validate_labels(labels.get("principles", []), labels.get("rung"), labels.get("mode"),
                                    labels.get("level"))
            if found:
                problems.append(f"double annotation of {row['id']} ({who}): {found[0]}")
                break

    # minimum counts
    result.counts = count_table(sentences)
    n_docs, n_sents = len(documents), len(sentences)
    involvement = sentences["rung"].ne(NONE)
    figures = {
        "documents": n_docs,
        "sentences": n_sents,
        "none_share": float((~involvement).mean()),
        "non_uk_share": float(documents["country"].ne("UK").mean()),
        "hard_case_share": float(sentences.loc[involvement, "hard_case"].notna().mean()),
        "double_annotated_share": len(double) / max(1, n_sents),
    }
    result.figures.update(figures)
    if n_docs < minimums.get("documents", 0):
        problems.append(f"{n_docs} documents; at least {minimums['documents']} needed")
    if n_sents < minimums.get("sentences", 0):
        problems.append(f"{n_sents} sentences; at least {minimums['sentences']} needed")
    rung_counts = sentences["rung"].value_counts()
    for rung, least in minimums.get("rung", {}).items():
        if rung_counts.get(rung, 0) < least:
            problems.append(f"rung {rung}: {rung_counts.get(rung, 0)} sentences; at least {least} needed")
    principle_counts = Counter(p for ps in sentences["principles"] for p in ps)
    for p in PRINCIPLES:
        if principle_counts[p] < minimums.get("principle", 0):
            problems.append(f"principle {p}: {principle_counts[p]} sentences; at least {minimums['principle']} needed")
    for key, label in (("none_share", "rung none"), ("non_uk_share", "documents from outside the UK"),
                       ("hard_case_share", "involvement sentences tagged as hard cases"),
                       ("double_annotated_share", "sentences labelled twice")):
        if figures[key] < minimums.get(key, 0):
            problems.append(f"{label}: {figures[key]:.1%}; at least {minimums[key]:.0%} needed")
    for head, values in (("mode", MODES), ("level", LEVELS)):
        for value in values:
            if value != NONE and (sentences[head] == value).mean() < 0.03:
                problems.append(f"{head} {value} is under 3% of sentences")
    return result


# ---------------------------------------------------------------------------------------------
# counts


def count_table(sentences: pd.DataFrame) -> pd.DataFrame:
    """Counts of every label value per split (rows ``head:value``, columns the splits and total)."""
    rows = {}
    splits = [s for s in SPLITS if s in set(sentences.get("split", pd.Series(dtype=str)))] or ["all"]
    split_col = sentences["split"] if "split" in sentences else pd.Series("all", index=sentences.index)
    for head, values in (("rung", RUNGS), ("mode", MODES), ("level", LEVELS)):
        for value in values:
            mask = sentences[head] == value
            rows[f"{head}:{value}"] = {s: int((mask & (split_col == s)).sum()) for s in splits}
    for p in PRINCIPLES:
        mask = sentences["principles"].apply(lambda ps, p=p: p in ps)
        rows[f"principle:{p}"] = {s: int((mask & (split_col == s)).sum()) for s in splits}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table["total"] = table.sum(axis=1)
    return table


def document_table(documents: pd.DataFrame, sentences: pd.DataFrame, by: str = "doc_type") -> pd.DataFrame:
    """Documents and sentences per value of ``by`` (a document column), per split."""
    n_sent = sentences.groupby("doc_id").size().rename("sentences")
    docs = documents.join(n_sent, on="doc_id")
    table = docs.pivot_table(index=by, columns="split", values="sentences", aggfunc=["count", "sum"], fill_value=0)
    table.columns = [f"{'documents' if a == 'count' else 'sentences'}_{b}" for a, b in table.columns]
    return table.sort_index()


def agreement(pairs: list[dict]) -> dict[str, dict[str, float]]:
    """Agreement of two labellings (``first`` and ``second`` of each row): Cohen's kappa and
    macro-F1 (of the second against the first) per head, and per-principle kappa."""
    from sklearn.metrics import cohen_kappa_score, f1_score
    from sklearn.preprocessing import MultiLabelBinarizer

    out: dict[str, dict[str, float]] = {}
    for head, values in HEADS.items():
        a = [r["first"][head] for r in pairs]
        b = [r["second"][head] for r in pairs]
        out[head] = {"kappa": float(cohen_kappa_score(a, b)),
                     "macro_f1": float(f1_score(a, b, average="macro", labels=sorted(set(a) | set(b)), zero_division=0)),
                     "agreement": float(np.mean([x == y for x, y in zip(a, b)]))}
    binarizer = MultiLabelBinarizer(classes=list(PRINCIPLES))
    a = binarizer.fit_transform([r["first"]["principles"] for r in pairs])
    b = binarizer.transform([r["second"]["principles"] for r in pairs])
    kappas = {p: float(cohen_kappa_score(a[:, k], b[:, k])) if a[:, k].any() or b[:, k].any() else math.nan
              for k, p in enumerate(PRINCIPLES)}
    out["principles"] = {"kappa_mean": float(np.nanmean(list(kappas.values()))),
                         "macro_f1": float(f1_score(a, b, average="macro", zero_division=0)),
                         **{f"kappa_{p}": v for p, v in kappas.items()}}
    return out

