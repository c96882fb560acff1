"""Model selection without the real evaluation data: cross-validation grouped by writer.

The corpus was written by many writing sessions (`w1`, `w2`, … in the document ids) with
different styles; holding whole writers out is the closest the corpus comes to text the model has
never seen the like of. This script splits the writers into ``--folds`` groups, fits the classifier
once per fold and scores, at prediction time, a grid of dense-view weights (`embedding_weight`),
principle thresholds (`principle_threshold`) and ladder-neighbour weights of the rung decision
(`neighbour_weight`), then prints the mean over folds. The shipped defaults are the largest
dense-view weight within 0.005 of the best rung macro-F1, the best threshold, and plain argmax
(neighbour weight 0) unless a neighbour weight beats it by more than 0.005 on the mean of rung
macro-F1 and within-one accuracy (the two rung headlines).
Takes about half an hour with five folds on two cores. ``--params`` and ``--features`` (JSON)
change the classifier's and the features' settings, to compare variants on the same folds.

    python benchmarks/select_by_writer.py --folds 5
    python benchmarks/select_by_writer.py --folds 3 --params '{"C": 1.0}'
    python benchmarks/select_by_writer.py --folds 3 --features '{"char_ngrams": null}'
"""

from __future__ import annotations

import argparse
import json

import pandas as pd
from sklearn.model_selection import GroupKFold

from coprod_nlp.dataset import load_corpus, without_headings
from coprod_nlp.evaluate import scores
from coprod_nlp.features import SentenceFeatures
from coprod_nlp.model import CoprodClassifier

WEIGHTS = (0.0, 0.15, 0.25, 0.4, 0.5)
THRESHOLDS = (0.2, 0.3, 0.4, 0.5)
NEIGHBOURS = (0.0, 0.1, 0.2, 0.3, 0.5, 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5, help="groups of writers held out in turn")
    parser.add_argument("--params", default="{}", help="CoprodClassifier settings as JSON")
    parser.add_argument("--features", default="{}", help="SentenceFeatures settings as JSON")
    args = parser.parse_args()
    params = json.loads(args.params) | {"features": SentenceFeatures(**json.loads(args.features))}
    _, sentences = load_corpus()
    sentences = without_headings(sentences)
    writer = sentences["doc_id"].str.split("-").str[0]
    rows = []
    for train_idx, test_idx in GroupKFold(n_splits=args.folds).split(sentences, groups=writer):
        train = sentences.iloc[train_idx].reset_index(drop=True)
        test = sentences.iloc[test_idx].reset_index(drop=True)
        held_out = ",".join(sorted(writer.iloc[test_idx].unique()))
        clf = CoprodClassifier(**params).fit(train["text"].tolist(), train)
        for weight in WEIGHTS:
            clf.embedding_weight = weight
            proba = clf.predict_proba(test["text"].tolist())
            for threshold in THRESHOLDS:
                for neighbour in NEIGHBOURS:
                    clf.set_params(principle_threshold=threshold, neighbour_weight=neighbour)
                    s = scores(test, clf._decide(proba))
                    rows.append({"writer": held_out, "embedding_weight": weight,
                                 "principle_threshold": threshold, "neighbour_weight": neighbour,
                                 "rung": s["rung"]["macro_f1"], "within_one": s["rung"]["within_one"],
                                 "principles": s["principles"]["macro_f1"], "mode": s["mode"]["macro_f1"],
                                 "level": s["level"]["macro_f1"]})
        print(f"held out {held_out}", flush=True)
    frame = pd.DataFrame(rows)
    plain = frame[frame["neighbour_weight"] == 0.0]
    print(plain.groupby(["embedding_weight", "principle_threshold"]).mean(numeric_only=True)
          .drop(columns="neighbour_weight").round(3).to_markdown())
    ladder = frame.groupby(["embedding_weight", "neighbour_weight"]).mean(numeric_only=True)
    ladder["rung_mean"] = (ladder["rung"] + ladder["within_one"]) / 2
    print(ladder[["rung", "within_one", "rung_mean"]].round(3).to_markdown())


if __name__ == "__main__":
    main()
