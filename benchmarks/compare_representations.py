"""Accuracy against speed of the classifier's representations, for the model card: words and cues
only, plus static MiniLM embeddings (the default), plus the full MiniLM transformer (if the
`embeddings` extra is installed). Trains each on the corpus train split, scores the test split and
any gold files given, and times prediction on the test split, all in the same run.

    python benchmarks/compare_representations.py ../shared/eval/real_dev.jsonl
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from coprod_nlp.dataset import load_corpus, load_gold, without_headings
from coprod_nlp.evaluate import scores
from coprod_nlp.model import CoprodClassifier


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", nargs="*", help="gold JSONL files to score as well")
    args = parser.parse_args()
    _, sentences = load_corpus()
    sentences = without_headings(sentences)
    train = sentences[sentences["split"] == "train"].reset_index(drop=True)
    sets = {"test split": sentences[sentences["split"] == "test"].reset_index(drop=True)}
    sets.update({g: load_gold(g) for g in args.gold})
    variants = {"words + cues": None, "+ static MiniLM (default)": "static"}
    try:
        import sentence_transformers  # noqa: F401

        variants["+ MiniLM transformer"] = "minilm"
    except ImportError:
        print("(sentence-transformers not installed: the transformer variant is skipped)")
    rows = []
    for name, kind in variants.items():
        t = time.perf_counter()
        clf = CoprodClassifier(embeddings=kind).fit(train["text"].tolist(), train)
        fit_s = time.perf_counter() - t
        texts = sets["test split"]["text"].tolist()
        from coprod_nlp import features

        features._CACHE.clear()
        t = time.perf_counter()
        clf.predict(texts)
        rate = len(texts) / (time.perf_counter() - t)
        row = {"representation": name, "fit s": round(fit_s), "predict sentences/s": round(rate)}
        for set_name, frame in sets.items():
            s = scores(frame, clf.predict(frame["text"].tolist()))
            row[f"{set_name}: rung F1"] = round(s["rung"]["macro_f1"], 3)
            row[f"{set_name}: within one"] = round(s["rung"]["within_one"], 3)
            row[f"{set_name}: principles F1"] = round(s["principles"]["macro_f1"], 3)
            row[f"{set_name}: mode F1"] = round(s["mode"]["macro_f1"], 3)
            row[f"{set_name}: level F1"] = round(s["level"]["macro_f1"], 3)
        rows.append(row)
        print(row, flush=True)
    print(pd.DataFrame(rows).set_index("representation").T.to_markdown())


if __name__ == "__main__":
    main()
