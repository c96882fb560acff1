"""Batch scoring of a corpus: every document of a folder tree (or a manifest), on all cores with
joblib or on a Dask cluster, resumable, into three Parquet tables.

Output folder layout::

    OUT/sentences.parquet   one row per sentence: tags, probabilities, provenance, document metadata
    OUT/documents.parquet   one row per document: its profile figures and metadata
    OUT/failures.parquet    one row per file that could not be scored, with the reason
    OUT/parts/<chunk>/      the same tables per chunk of documents, the unit of resumption

Each chunk is written to a temporary folder and renamed into ``parts/`` when complete (a rename
is atomic), so a run killed at any moment leaves only whole chunks. A new run skips the documents
already in ``parts/`` (keyed by path and content hash, so a changed file is scored again) and
rebuilds the three tables from the parts for the current inputs, so no row is lost or repeated.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import signal
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import CoprodError, IngestError
from .ingest import SUFFIXES, read
from .model import sha256_of
from .profile import profile
from .segment import load_nlp, segment_spans
from .tagger import classified_spans, predict_spans, tagged_sentences

log = logging.getLogger(__name__)

TABLES = ("sentences", "documents", "failures")


@dataclass(frozen=True)
class Job:
    """One input document: its path, content hash and metadata (from the manifest)."""

    path: str
    sha256: str
    meta: tuple[tuple[str, object], ...] = ()

    @property
    def key(self) -> str:
        return hashlib.sha256(f"{self.path}\0{self.sha256}".encode()).hexdigest()[:20]


def discover(source: str | Path) -> list[Job]:
    """Jobs for every document under a folder, or for the rows of a manifest CSV.

    A manifest has a ``path`` column (relative to the manifest's folder or absolute) and any
    metadata columns (``organisation``, ``year``...), which are copied to the output tables.
    """
    source = Path(source)
    if not source.exists():
        raise CoprodError(f"{source}: no such file or folder")
    rows: list[tuple[Path, dict]] = []
    if source.is_dir():
        for root, dirs, files in os.walk(source):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if Path(name).suffix.lower() in SUFFIXES:
                    rows.append((Path(root) / name, {}))
    else:
        try:
            manifest = pd.read_csv(source)
        except Exception as exc:
            raise CoprodError(f"{source}: not a readable manifest CSV ({exc})") from None
        if "path" not in manifest.columns:
            raise CoprodError(f"{source}: the manifest needs a 'path' column (it has {', '.join(manifest.columns)})")
        for record in manifest.to_dict("records"):
            path = Path(str(record.pop("path")))
            rows.append((path if path.is_absolute() else source.parent / path, record))
    jobs = []
    for path, meta in rows:
        try:
            digest = sha256_of(path)
        except OSError as exc:
            digest = f"unreadable:{exc.strerror}"
        jobs.append(Job(str(path), digest, tuple(sorted(meta.items()))))
    return jobs


# ---------------------------------------------------------------------------------------------
# scoring one chunk (runs in a worker process)


class DocumentTimeout(CoprodError):
    """A document took longer than the per-document time limit."""


@contextmanager
def time_limit(seconds: float | None):
    """Raise :class:`DocumentTimeout` in the block after ``seconds`` (in a process's main thread,
    where a signal can interrupt; elsewhere the limit is checked between documents' stages)."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def on_alarm(signum, frame):
        raise DocumentTimeout(f"took longer than the {seconds:g}s limit per document")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    # fire again every second until cleared: an exception raised while Python runs a garbage
    # collector callback is swallowed, so one alarm alone could be lost
    signal.setitimer(signal.ITIMER_REAL, seconds, min(seconds, 1.0))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@lru_cache(maxsize=2)
def _worker_model(model: str | None, trust: bool, sha256: str | None):
    from .model import load

    return load(model, trust=trust, sha256=sha256)


def score_chunk(jobs: list[Job], *, model: str | None = None, trust: bool = False, sha256: str | None = None,
                timeout: float | None = 120.0, max_bytes: int | None = None, min_support: int = 2,
                n_boot: int = 200) -> dict[str, pd.DataFrame]:
    """Score a chunk of documents: read and segment each (within the time limit), tag all their
    sentences in one vectorised call, then profile each. Returns the three tables."""
    loaded = _worker_model(model, trust, sha256)
    nlp = load_nlp()
    failures, ready = [], []
    for job in jobs:
        start = time.monotonic()
        try:
            if job.sha256.startswith("unreadable:"):
                raise IngestError(f"{job.path}: cannot be read ({job.sha256.split(':', 1)[1]})")
            with time_limit(timeout):
                document = read(job.path, max_bytes=max_bytes)
                pairs = list(segment_spans(document, nlp))
            if timeout and time.monotonic() - start > timeout:
                raise DocumentTimeout(f"took longer than the {timeout:g}s limit per document")
            if not pairs:
                reason = "; ".join(document.warnings) or "no text found"
                raise IngestError(reason if reason.startswith(job.path) else f"{job.path}: {reason}")
            ready.append((job, document, pairs))
        except CoprodError as exc:
            failures.append(_failure(job, exc))
        except Exception as exc:  # one bad file never sinks the batch
            failures.append(_failure(job, exc))
    spans = [classified_spans(pairs) for _, _, pairs in ready]
    labels, proba, _ = predict_spans(loaded, [span for doc_spans in spans for span in doc_spans])
    sentence_rows, document_rows = [], []
    k = 0
    for (job, document, pairs), doc_spans in zip(ready, spans):
        tagged = tagged_sentences([s for s, _ in pairs], labels, proba, loaded, offset=k)
        k += len(doc_spans)
        prof = profile(tagged, job.path, min_support=min_support, n_boot=n_boot)
        meta = dict(job.meta)
        for i, t in enumerate(tagged):
            sentence_rows.append({"doc_key": job.key, "path": job.path, "sentence": i, **meta, **t.to_dict()})
        figures = prof.to_frame().reset_index(drop=True).iloc[0].to_dict()
        document_rows.append({"doc_key": job.key, "path": job.path, "sha256": job.sha256, **meta,
                              "title": document.title, "format": document.format, "pages": document.pages,
                              "warnings": "; ".join(document.warnings), "model": loaded.name,
                              "model_sha256": loaded.sha256, **figures, "summary": prof.summary})
    return {"sentences": _frame(sentence_rows), "documents": _frame(document_rows), "failures": _frame(failures)}


def _failure(job: Job, exc: BaseException) -> dict:
    reason = str(exc) if isinstance(exc, CoprodError) else f"{type(exc).__name__}: {exc}"
    return {"doc_key": job.key, "path": job.path, "sha256": job.sha256, **dict(job.meta),
            "error": type(exc).__name__, "reason": reason}


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if "principles" in frame.columns:
        frame["principles"] = frame["principles"].apply(list)
    return frame


# ---------------------------------------------------------------------------------------------
# the run


@dataclass
class CorpusRun:
    """What a run did: documents found, skipped (already done), scored and failed, and time taken."""

    found: int
    skipped: int
    scored: int
    failed: int
    sentences: int
    seconds: float
    out: Path

    def __str__(self) -> str:
        rate = self.scored / self.seconds if self.seconds else 0.0
        return (f"{self.found} documents found, {self.skipped} already done, {self.scored} scored, "
                f"{self.failed} failed, {self.sentences} sentences in {self.seconds:.1f}s "
                f"({rate:.1f} documents/s); tables in {self.out}")


def _done_keys(parts: Path) -> set[str]:
    keys: set[str] = set()
    for part in parts.iterdir() if parts.exists() else []:
        if part.is_dir() and not part.name.startswith("."):
            for table in ("documents", "failures"):
                path = part / f"{table}.parquet"
                if path.exists():
                    keys.update(pd.read_parquet(path, columns=["doc_key"])["doc_key"])
    return keys


def _write_part(parts: Path, tables: dict[str, pd.DataFrame]) -> None:
    name = uuid.uuid4().hex[:16]
    tmp = parts / f".tmp-{name}"
    tmp.mkdir(parents=True)
    for table, frame in tables.items():
        if not frame.empty:
            frame.to_parquet(tmp / f"{table}.parquet", index=False)
    os.replace(tmp, parts / name)  # atomic: the chunk appears whole or not at all


def _consolidate(out: Path, jobs: list[Job]) -> dict[str, pd.DataFrame]:
    """Rebuild the three tables from the parts, for the current inputs only, each key once."""
    wanted = [job.key for job in jobs]
    order = {key: i for i, key in enumerate(wanted)}
    frames: dict[str, list[pd.DataFrame]] = {t: [] for t in TABLES}
    for part in sorted((out / "parts").iterdir()):
        if part.is_dir() and not part.name.startswith("."):
            for table in TABLES:
                path = part / f"{table}.parquet"
                if path.exists():
                    frames[table].append(pd.read_parquet(path))
    result = {}
    documents = pd.concat(frames["documents"], ignore_index=True) if frames["documents"] else pd.DataFrame(columns=["doc_key"])
    documents = documents[documents["doc_key"].isin(order)].drop_duplicates("doc_key")
    for table in TABLES:
        frame = pd.concat(frames[table], ignore_index=True) if frames[table] else pd.DataFrame(columns=["doc_key"])
        frame = frame[frame["doc_key"].isin(order)]
        if table == "sentences":
            frame = frame.drop_duplicates(["doc_key", "sentence"])
            frame = frame[frame["doc_key"].isin(set(documents["doc_key"]))]
        elif table == "failures":
            frame = frame.drop_duplicates("doc_key")
            frame = frame[~frame["doc_key"].isin(set(documents["doc_key"]))]
        else:
            frame = documents
        sort = ["_order"] + (["sentence"] if table == "sentences" else [])
        frame = frame.assign(_order=frame["doc_key"].map(order)).sort_values(sort).drop(columns="_order")
        result[table] = frame.reset_index(drop=True)
        tmp = out / f".{table}.parquet.tmp"
        result[table].to_parquet(tmp, index=False)
        os.replace(tmp, out / f"{table}.parquet")
    return result


def _chunks(jobs: list[Job], size: int) -> Iterator[list[Job]]:
    for i in range(0, len(jobs), size):
        yield jobs[i:i + size]


def score_corpus(source: str | Path, out: str | Path | None = None, *, jobs: int = 1, chunk_size: int = 8,
                 model: str | None = None, trust: bool = False, sha256: str | None = None,
                 timeout: float | None = 120.0, max_bytes: int | None = None, scheduler: str | None = None,
                 progress: bool | None = None, retry_failed: bool = False) -> dict[str, pd.DataFrame] | CorpusRun:
    """Score every document under ``source`` (a folder or a manifest CSV).

    With ``out``, writes (and resumes) the Parquet tables there and returns a :class:`CorpusRun`
    summary; without, works in a temporary folder and returns the three DataFrames.

    Parameters
    ----------
    jobs:
        Worker processes (joblib); ``-1`` for all cores.
    scheduler:
        Address of a Dask distributed scheduler (``tcp://host:8786``) to run on instead of joblib.
    timeout:
        Per-document time limit in seconds.
    progress:
        Show a progress bar (default: when standard error is a terminal).
    """
    if out is None:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            score_corpus(source, tmp, jobs=jobs, chunk_size=chunk_size, model=model, trust=trust, sha256=sha256,
                         timeout=timeout, max_bytes=max_bytes, scheduler=scheduler, progress=progress)
            return {t: pd.read_parquet(Path(tmp) / f"{t}.parquet") for t in TABLES}
    started = time.perf_counter()
    out = Path(out)
    parts = out / "parts"
    parts.mkdir(parents=True, exist_ok=True)
    for stale in parts.glob(".tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)  # chunks a killed run left half-written
    _worker_model(model, trust, sha256)  # fail fast on a missing or untrusted model
    all_jobs = discover(source)
    done = _done_keys(parts)
    if retry_failed:
        done -= _failed_keys(parts)
    todo = [job for job in all_jobs if job.key not in done]
    kwargs = dict(model=model, trust=trust, sha256=sha256, timeout=timeout, max_bytes=max_bytes)
    chunks = list(_chunks(todo, chunk_size))
    bar = _progress_bar(len(todo), progress)
    scored = failed = n_sentences = 0
    try:
        for tables in _run(chunks, jobs, scheduler, kwargs):
            _write_part(parts, tables)
            n_docs, n_fail = len(tables["documents"]), len(tables["failures"])
            scored, failed, n_sentences = scored + n_docs, failed + n_fail, n_sentences + len(tables["sentences"])
            if bar is not None:
                bar.update(n_docs + n_fail)
                elapsed = max(1e-9, time.perf_counter() - started)
                bar.set_postfix(sentences_per_s=f"{n_sentences / elapsed:.0f}", failures=failed)
    finally:
        if bar is not None:
            bar.close()
    _consolidate(out, all_jobs)
    return CorpusRun(len(all_jobs), len(all_jobs) - len(todo), scored, failed, n_sentences,
                     time.perf_counter() - started, out)


def _failed_keys(parts: Path) -> set[str]:
    keys: set[str] = set()
    for path in parts.glob("*/failures.parquet"):
        keys.update(pd.read_parquet(path, columns=["doc_key"])["doc_key"])
    return keys


def _progress_bar(total: int, progress: bool | None):
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress or not total:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc="scoring", file=sys.stderr)


def _run(chunks: list[list[Job]], jobs: int, scheduler: str | None, kwargs: dict) -> Iterator[dict[str, pd.DataFrame]]:
    if not chunks:
        return
    if scheduler:
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise CoprodError("--scheduler needs Dask: pip install 'coprod-nlp[dask]'") from None
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as exc:
            raise CoprodError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
        try:
            futures = [client.submit(score_chunk, chunk, pure=False, **kwargs) for chunk in chunks]
            for future in as_completed(futures):
                yield future.result()
        finally:
            client.close()
        return
    if jobs == 1:
        for chunk in chunks:
            yield score_chunk(chunk, **kwargs)
        return
    from joblib import Parallel, delayed

    parallel = Parallel(n_jobs=jobs, return_as="generator_unordered")
    yield from parallel(delayed(score_chunk)(chunk, **kwargs) for chunk in chunks)
