"""Batch scoring: tables, failures, resumption after a kill, changed files, and Dask = joblib."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from coprod_nlp.corpus import discover, score_corpus

from .conftest import make_docx, make_pdf
from .documents import BUZZWORD_SURVEY, FINANCE_PAPER, GENUINE_STRATEGY, PLAIN_WORDS_POWER, RHETORIC_CHARTER

DOCS = {"genuine": GENUINE_STRATEGY, "charter": RHETORIC_CHARTER, "finance": FINANCE_PAPER,
        "plain": PLAIN_WORDS_POWER, "buzzword": BUZZWORD_SURVEY}


def build_corpus(folder: Path, copies: int = 2, bad: bool = True) -> Path:
    """Good documents in every format (nested folders), plus every kind of bad file."""
    for i in range(copies):
        sub = folder / f"org{i}" / "2024"
        sub.mkdir(parents=True)
        for name, blocks in DOCS.items():
            text = "\n\n".join(t for _, t in blocks) + f"\n\nReference {i}-{name}."
            (sub / f"{name}.txt").write_text(text, encoding="utf-8")
        make_docx(sub / "strategy.docx", [("heading" if k == "heading" else "para", t) for k, t in GENUINE_STRATEGY])
        make_pdf(sub / "finance.pdf", [FINANCE_PAPER])
        (sub / "charter.html").write_text("<html><body><main>" + "".join(f"<p>{t}</p>" for _, t in RHETORIC_CHARTER)
                                          + f"<p>Copy {i}.</p></main></body></html>", encoding="utf-8")
    if bad:
        broken = folder / "broken"
        broken.mkdir()
        (broken / "corrupt.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf")
        (broken / "empty.txt").write_bytes(b"")
        (broken / "binary.txt").write_bytes(bytes(range(256)) * 40)
        (broken / "legacy.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
        from fpdf import FPDF

        scan = FPDF()
        scan.add_page()
        scan.rect(10, 10, 100, 100, style="F")
        scan.output(str(broken / "scan.pdf"))
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(folder / "org0" / "2024" / "finance.pdf"))
        writer.encrypt(user_password="x", owner_password="y")
        with open(broken / "locked.pdf", "wb") as fh:
            writer.write(fh)
        (broken / "huge.txt").write_bytes(b"Residents decide. " * 1_200_000)  # ~21 MB, over the text limit
        (broken / "notes.pdf").write_text("Plain text with a lying extension. Carers co-chair the group.",
                                          encoding="utf-8")  # readable: a warning, not a failure
        (broken / "ignored.xyz").write_text("not a document type")
    return folder


def read_tables(out: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(out / f"{t}.parquet") for t in ("sentences", "documents", "failures")}


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for table in a:
        left = a[table].sort_values(list(a[table].columns[:2])).reset_index(drop=True)
        right = b[table].sort_values(list(b[table].columns[:2])).reset_index(drop=True)
        pd.testing.assert_frame_equal(left[sorted(left.columns)], right[sorted(right.columns)], check_dtype=False)


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    return build_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def reference(corpus_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("reference")
    run = score_corpus(corpus_dir, out, jobs=2, chunk_size=3, progress=False)
    return out, run


def test_tables_and_failures(reference, corpus_dir):
    out, run = reference
    tables = read_tables(out)
    assert run.found == 16 + 8 and run.scored == 17 and run.failed == 7
    failures = tables["failures"].set_index(tables["failures"]["path"].map(lambda p: Path(p).name))
    assert "corrupt or unreadable PDF" in failures.loc["corrupt.pdf", "reason"]
    assert "empty file" in failures.loc["empty.txt", "reason"]
    assert "binary data" in failures.loc["binary.txt", "reason"]
    assert "legacy binary Office" in failures.loc["legacy.docx", "reason"]
    assert "no text layer" in failures.loc["scan.pdf", "reason"]
    assert "encrypted PDF" in failures.loc["locked.pdf", "reason"]
    assert "file too large" in failures.loc["huge.txt", "reason"]
    docs = tables["documents"]
    assert len(docs) == 17 and docs["doc_key"].is_unique
    lying = docs[docs["path"].str.endswith("notes.pdf")].iloc[0]
    assert lying["format"] == "text" and "extension says pdf" in lying["warnings"]
    sentences = tables["sentences"]
    assert {"text", "page", "section", "rung", "rung_prob", "mode", "level", "principles", "path"} <= set(sentences.columns)
    assert set(sentences["doc_key"]) == set(docs["doc_key"])
    assert not sentences.duplicated(["doc_key", "sentence"]).any()
    pdf_rows = sentences[sentences["path"].str.endswith("finance.pdf")]
    assert pdf_rows["page"].notna().all()
    assert {"embeddedness", "lip_service_index", "lip_service_lo", "practised_top_rung"} <= set(docs.columns)


def test_rerun_skips_finished_documents(reference, corpus_dir):
    out, _ = reference
    before = read_tables(out)
    again = score_corpus(corpus_dir, out, jobs=1, progress=False)
    assert again.skipped == again.found and again.scored == 0 and again.failed == 0
    assert_same(before, read_tables(out))


def test_changed_file_is_rescored(corpus_dir, tmp_path):
    small = build_corpus(tmp_path / "small", copies=1, bad=False)
    out = tmp_path / "out"
    score_corpus(small, out, progress=False)
    target = small / "org0" / "2024" / "finance.txt"
    target.write_text("Tenants decide how the budget is spent and vote on every contract.", encoding="utf-8")
    run = score_corpus(small, out, progress=False)
    assert run.scored == 1 and run.skipped == run.found - 1
    tables = read_tables(out)
    rows = tables["sentences"][tables["sentences"]["path"] == str(target)]
    assert rows["text"].tolist() == ["Tenants decide how the budget is spent and vote on every contract."]
    assert len(tables["documents"]) == run.found


def test_kill_then_resume_equals_uninterrupted_run(reference, corpus_dir, tmp_path):
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "coprod_nlp.cli", "corpus", str(corpus_dir), "--out", str(out),
           "--chunk-size", "1", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        parts = [p for p in (out / "parts").glob("*") if not p.name.startswith(".")] if (out / "parts").exists() else []
        if len(parts) >= 3:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (out / "documents.parquet").exists()  # killed before the end
    resumed = score_corpus(corpus_dir, out, progress=False)
    assert 0 < resumed.skipped < resumed.found
    assert_same(read_tables(reference[0]), read_tables(out))


def test_manifest_with_metadata(corpus_dir, tmp_path):
    manifest = tmp_path / "manifest.csv"
    rows = [{"path": str(corpus_dir / "org0" / "2024" / "genuine.txt"), "organisation": "Lowmoor", "year": 2024},
            {"path": str(corpus_dir / "org1" / "2024" / "charter.html"), "organisation": "Eastgate", "year": 2024},
            {"path": str(tmp_path / "missing.pdf"), "organisation": "Nowhere", "year": 2023}]
    pd.DataFrame(rows).to_csv(manifest, index=False)
    tables = score_corpus(manifest, progress=False)
    assert list(tables["documents"]["organisation"]) == ["Lowmoor", "Eastgate"]
    assert set(tables["sentences"]["organisation"]) == {"Lowmoor", "Eastgate"}
    assert tables["failures"].iloc[0]["organisation"] == "Nowhere"
    assert len(discover(manifest)) == 3


def test_dask_cluster_gives_the_same_tables(reference, corpus_dir, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        run = score_corpus(corpus_dir, tmp_path / "dask", scheduler=cluster.scheduler_address, chunk_size=3,
                           progress=False)
    assert run.scored == 17 and run.failed == 7
    assert_same(read_tables(reference[0]), read_tables(tmp_path / "dask"))


def test_cli_corpus_and_bad_source(corpus_dir, tmp_path):
    from typer.testing import CliRunner

    from coprod_nlp.cli import app

    result = CliRunner().invoke(app, ["corpus", str(tmp_path / "nothing"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "no such file or folder" in result.stderr


def test_time_limit_stops_a_slow_document(tmp_path):
    folder = tmp_path / "slow"
    folder.mkdir()
    (folder / "long.txt").write_text("\n\n".join(f"Residents on panel {i} decided how the fund was spent." for i in range(3000)),
                                     encoding="utf-8")
    (folder / "short.txt").write_text("Tenants chose the contractor.", encoding="utf-8")
    tables = score_corpus(folder, timeout=0.05, progress=False)
    assert list(tables["documents"]["path"].map(lambda p: Path(p).name)) == ["short.txt"]
    failure = tables["failures"].iloc[0]
    assert failure["error"] == "DocumentTimeout" and "longer than the 0.05s limit" in failure["reason"]
