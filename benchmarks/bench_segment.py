"""Ingestion and segmentation throughput, each beside its baseline measured in the same run.

    python benchmarks/bench_segment.py [--docs 200]

Prints: PDF pages/s of coprod's ingestion against raw pypdfium2 text extraction; sentences/s of
coprod's segmentation against a bare spaCy ``sentencizer`` (and pySBD, if installed) on the same
blocks; and the Golden Rules score of each segmenter.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import spacy

from _corpus import write_corpus
from coprod_nlp.ingest import read
from coprod_nlp.segment import load_nlp, segment

GOLDEN = Path(__file__).resolve().parents[2] / "shared" / "eval" / "golden_rules_en.json"


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=200)
    args = parser.parse_args()
    import pypdfium2 as pdfium

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_corpus(Path(tmp), args.docs)
        pdfs = [p for p in paths if p.suffix == ".pdf"]

        def raw_pdf():
            pages = 0
            for p in pdfs:
                pdf = pdfium.PdfDocument(str(p))
                for page in pdf:
                    page.get_textpage().get_text_range()
                    pages += 1
                pdf.close()
            return pages

        def our_pdf():
            return sum(read(p).pages for p in pdfs)

        t_raw, pages = best_of(raw_pdf)
        t_ours, _ = best_of(our_pdf)
        print(f"PDF ingestion: {pages / t_ours:,.0f} pages/s (coprod) vs {pages / t_raw:,.0f} pages/s "
              f"(raw pypdfium2 text); ratio {t_raw / t_ours:.2f}")
        t_all, docs = best_of(lambda: [read(p) for p in paths], repeat=1)
        print(f"All formats ingestion: {len(paths) / t_all:,.1f} documents/s over {len(paths)} documents")

    blocks = [b.text for d in docs for b in d.blocks]
    nlp = load_nlp()
    bare = spacy.blank("en")
    bare.add_pipe("sentencizer")
    ours = spacy.blank("en")
    ours.add_pipe("coprod_sentencizer")
    tok = spacy.blank("en")

    t_tok, _ = best_of(lambda: list(tok.pipe(blocks)))
    t_bare, n_bare = best_of(lambda: sum(len(list(d.sents)) for d in bare.pipe(blocks)))
    t_ours, n_ours = best_of(lambda: sum(len(list(d.sents)) for d in ours.pipe(blocks)))
    t_full, n_full = best_of(lambda: sum(len(segment(d, nlp)) for d in docs))
    print(f"Segmentation over {len(blocks):,} blocks:")
    print(f"  tokenizer only:                  {n_bare / t_tok:>10,.0f} sentences/s-equivalent")
    print(f"  bare spaCy sentencizer:          {n_bare / t_bare:>10,.0f} sentences/s ({n_bare} sentences)")
    print(f"  coprod_sentencizer:              {n_ours / t_ours:>10,.0f} sentences/s ({n_ours} sentences); "
          f"time ratio vs bare sentencizer {t_ours / t_bare:.2f}x")
    print(f"  coprod segment() end to end:     {n_full / t_full:>10,.0f} sentences/s; "
          f"time ratio vs bare sentencizer {t_full / t_bare:.2f}x")
    try:
        import pysbd

        seg = pysbd.Segmenter(language="en", clean=False)
        t_sbd, n_sbd = best_of(lambda: sum(len(seg.segment(b)) for b in blocks), repeat=1)
        print(f"  pySBD:                           {n_sbd / t_sbd:>10,.0f} sentences/s; "
              f"time ratio vs bare sentencizer {t_sbd / t_bare:.2f}x")
    except ImportError:
        pass

    if GOLDEN.exists():
        cases = json.loads(GOLDEN.read_text())["cases"]
        text = "\n\n".join(c["text"] for c in cases)
        for name, pipe in (("bare sentencizer", bare), ("coprod_sentencizer", ours)):
            right = 0
            for c in cases:
                right += [s.text for s in pipe(c["text"]).sents] == c["sentences"]
            print(f"Golden Rules, {name}: {right}/{len(cases)}")
        from coprod_nlp.ingest import read_text

        t_g, _ = best_of(lambda: segment(read_text(text), nlp), repeat=5)
        print(f"Golden Rules pass (all 48 cases), coprod segment(): {t_g * 1000:.1f} ms")


if __name__ == "__main__":
    main()
