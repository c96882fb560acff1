"""Model selection without the real evaluation data: leave-one-writer-out cross-validation.

The corpus was written by nine writing sessions with different styles; holding each one out in
turn is the closest the corpus comes to text the model has never seen the like of. This script
fits the classifier once per held-out writer and scores, at prediction time, a grid of dense-view
weights (`embedding_weight`) and principle thresholds (`principle_threshold`), then prints the
mean over writers. The shipped defaults are the largest weight within 0.005 of the best rung
macro-F1, and the best threshold. Takes about half an hour on two cores.

    python benchmarks/select_by_writer.py
"""

from __future__ import annotations

import pandas as pd

from coprod_nlp.dataset import load_corpus, without_headings
from coprod_nlp.evaluate import scores
from coprod_nlp.model import CoprodClassifier

WEIGHTS = (0.0, 0.15, 0.25, 0.4)
THRESHOLDS = (0.3, 0.4, 0.5)


def main() -> None:
    _, sentences = load_corpus()
    sentences = without_headings(sentences)
    sentences = sentences.reset_index(drop=True)
    writer = sentences["doc_id"].str.split("-").str[0]
    rows = []
    for held_out in sorted(writer.unique()):
        train = sentences[writer != held_out].reset_index(drop=True)
        test = sentences[writer == held_out].reset_index(drop=True)
        clf = CoprodClassifier().fit(train["text"].tolist(), train)
        for weight in WEIGHTS:
            clf.embedding_weight = weight
            proba = clf.predict_proba(test["text"].tolist())
            for threshold in THRESHOLDS:
                clf.principle_threshold = threshold
                s = scores(test, clf._decide(proba))
                rows.append({"writer": held_out, "embedding_weight": weight, "principle_threshold": threshold,
                             "rung": s["rung"]["macro_f1"], "within_one": s["rung"]["within_one"],
                             "principles": s["principles"]["macro_f1"], "mode": s["mode"]["macro_f1"],
                             "level": s["level"]["macro_f1"]})
        print(f"held out {held_out}", flush=True)
    table = pd.DataFrame(rows).groupby(["embedding_weight", "principle_threshold"]).mean(numeric_only=True)
    print(table.round(3).to_markdown())


if __name__ == "__main__":
    main()
