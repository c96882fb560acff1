"""Tagging throughput: sentences/s of reading + segmenting + tagging (what `coprod tag` does),
beside a bare spaCy sentencizer over the same text, measured in the same run.

    python benchmarks/bench_tag.py [--docs 100]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import spacy

from _corpus import write_corpus
from coprod_nlp.ingest import read
from coprod_nlp.model import load
from coprod_nlp.segment import load_nlp
from coprod_nlp.tagger import tag


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=100)
    args = parser.parse_args()
    model = load()
    nlp = load_nlp()
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_corpus(Path(tmp), args.docs, seed=1)
        docs = [read(p) for p in paths]
        texts = [b.text for d in docs for b in d.blocks]
        bare = spacy.blank("en")
        bare.add_pipe("sentencizer")
        t = time.perf_counter()
        n_bare = sum(len(list(d.sents)) for d in bare.pipe(texts))
        t_bare = time.perf_counter() - t
        tag(docs[0], model, nlp)  # warm up
        t = time.perf_counter()
        n_tag = sum(len(tag(read(p), model, nlp)) for p in paths)
        t_tag = time.perf_counter() - t
    print(f"{len(paths)} documents, {n_tag} sentences")
    print(f"bare spaCy sentencizer:        {n_bare / t_bare:>9,.0f} sentences/s")
    print(f"read + segment + tag (coprod): {n_tag / t_tag:>9,.0f} sentences/s "
          f"({t_tag / t_bare * n_bare / n_tag:.1f}x the sentencizer's time per sentence)")
    print(f"model: {model.name}, embeddings: {model.classifier.embeddings}")


if __name__ == "__main__":
    main()
