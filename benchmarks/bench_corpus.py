"""Batch scoring throughput on this machine: documents/s and sentences/s with 1 and 2 jobs (the
speed-up as a ratio), peak memory, and bare ingestion + segmentation measured in the same run.

    python benchmarks/bench_corpus.py [--docs 500]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd
from joblib import Parallel, delayed

from _corpus import write_corpus
from coprod_nlp.corpus import score_corpus
from coprod_nlp.ingest import read
from coprod_nlp.segment import load_nlp, segment


def segment_only(paths: list[Path]) -> int:
    nlp = load_nlp()
    return sum(len(segment(read(p), nlp)) for p in paths)


def descendants(pid: int) -> list[int]:
    """Process ids below ``pid`` (the joblib workers), from /proc."""
    parents = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            parents[int(status.parent.name)] = int(fields["PPid"])
        except (OSError, ValueError, KeyError):
            continue
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        children = [p for p, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest live worker, in MB."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = []
    for pid in descendants(os.getpid()):
        try:
            text = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        hwm = [line for line in text.splitlines() if line.startswith("VmHWM")]
        if hwm:
            workers.append(int(hwm[0].split()[1]) / 1024)
    return me, max(workers, default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = write_corpus(tmp / "corpus", args.docs, seed=2)
        print(f"generated {len(paths)} documents (txt, md, html, pdf, docx)")
        for jobs in (1, 2):
            # warm up: load the model and spaCy (in the workers too) outside the timed runs
            warm = tmp / "warm"
            warm.mkdir(exist_ok=True)
            for p in paths[:6]:
                shutil.copy(p, warm / p.name)
            score_corpus(warm, tmp / f"warm{jobs}", jobs=jobs, chunk_size=1, progress=False)
            if jobs == 2:
                Parallel(n_jobs=2)(delayed(segment_only)(h) for h in (paths[:2], paths[2:4]))
            t = time.perf_counter()
            if jobs == 1:
                n = segment_only(paths)
            else:
                halves = [paths[::2], paths[1::2]]
                n = sum(Parallel(n_jobs=2)(delayed(segment_only)(h) for h in halves))
            base = time.perf_counter() - t
            out = tmp / f"out{jobs}"
            t = time.perf_counter()
            run = score_corpus(tmp / "corpus", out, jobs=jobs, progress=False)
            full = time.perf_counter() - t
            docs = pd.read_parquet(out / "documents.parquet")
            print(f"jobs={jobs}: ingestion+segmentation {len(paths) / base:6.1f} docs/s {n / base:7.0f} sentences/s | "
                  f"full scoring {len(docs) / full:6.1f} docs/s {run.sentences / full:7.0f} sentences/s | "
                  f"classification and profiles cost {full / base:.2f}x the bare segmentation time")
            if jobs == 1:
                single = full
            else:
                print(f"speed-up with 2 jobs: {single / full:.2f}x")
            shutil.rmtree(out)
        me, children = peak_mb()
        print(f"peak resident memory: {me:.0f} MB (this process), {children:.0f} MB (largest worker)")


if __name__ == "__main__":
    main()
