"""The ``coprod`` command: a thin layer over the Python API. Every command has ``--help``."""

from __future__ import annotations

import csv
import functools
import json
import logging
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .errors import CoprodError

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Measure how far co-production is embedded in public-service documents.")


@app.callback()
def _root() -> None:
    """Measure how far co-production is embedded in public-service documents."""


class TableFormat(str, Enum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"


Paths = Annotated[list[Path], typer.Argument(help="Documents: .txt, .md, .html, .pdf or .docx files.",
                                              show_default=False)]
Model = Annotated[str, typer.Option(help="spaCy pipeline: 'blank:en' (no download) or an installed one.")]
MaxBytes = Annotated[int | None, typer.Option(help="Refuse files larger than this many bytes.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Do not print warnings.")]
ModelOpt = Annotated[str | None, typer.Option("--model", "-m", help="Model name in models/, folder or file "
                                                                   "(default: the shipped coprod-v1).")]
TrustOpt = Annotated[bool, typer.Option("--trust-model", help="Load a model file whose checksum the package "
                                                              "does not record (unpickling runs code).")]
Sha256Opt = Annotated[str | None, typer.Option("--sha256", help="Expected SHA-256 of a model you trained.")]


def friendly(func):
    """Turn a CoprodError into a one-line message on stderr and a non-zero exit."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except CoprodError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper


def each(paths, work) -> tuple[list, int]:
    """Apply ``work`` to each path; a failing file prints a one-line error and the rest go on."""
    results, failed = [], 0
    for path in paths:
        try:
            results.append(work(path))
        except CoprodError as exc:
            typer.echo(f"error: {exc}", err=True)
            failed += 1
    return results, failed


def _setup_logging(quiet: bool) -> None:
    logging.basicConfig(level=logging.ERROR if quiet else logging.WARNING,
                        format="warning: %(message)s", stream=sys.stderr, force=True)


def write_rows(rows: list[dict], fmt: TableFormat, columns: list[str], out=None) -> None:
    """Write dict rows as an aligned table, CSV or JSON lines."""
    out = out or sys.stdout
    if fmt is TableFormat.jsonl:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt is TableFormat.csv:
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        def cell(value, width):
            text = "" if value is None else str(value)
            return text if width is None else (text[: width - 1] + "…" if len(text) > width else text.ljust(width))

        widths = {c: None if c == columns[-1] else min(28, max([len(c)] + [len(str(r.get(c) or "")) for r in rows]))
                  for c in columns}
        out.write("  ".join(cell(c, widths[c]) for c in columns).rstrip() + "\n")
        for row in rows:
            out.write("  ".join(cell(row.get(c), widths[c]) for c in columns).rstrip() + "\n")


@app.command()
@friendly
def segment(
    paths: Paths,
    format: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.table,
    model: Model = "blank:en",
    max_bytes: MaxBytes = None,
    quiet: Quiet = False,
) -> None:
    """Print the sentences of each document with their provenance (page, section, offsets)."""
    from .ingest import read
    from .segment import load_nlp
    from .segment import segment as cut

    _setup_logging(quiet)
    nlp = load_nlp(model)
    per_file, failed = each(paths, lambda path: [s.to_dict() for s in cut(read(path, max_bytes=max_bytes), nlp)])
    rows = [row for rows in per_file for row in rows]
    if rows or not failed:
        write_rows(rows, format, ["source", "page", "section", "paragraph", "start", "end", "text"])
    if failed:
        raise typer.Exit(1)


def _load_model(model, trust_model, sha256):
    from .model import load

    return load(model, trust=trust_model, sha256=sha256)


@app.command()
@friendly
def tag(
    paths: Paths,
    format: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.table,
    explain: Annotated[bool, typer.Option("--explain", help="Add the words and cues behind each label.")] = False,
    model: ModelOpt = None,
    trust_model: TrustOpt = False,
    sha256: Sha256Opt = None,
    max_bytes: MaxBytes = None,
    quiet: Quiet = False,
) -> None:
    """Print each sentence with its four labels, probabilities and provenance."""
    from .ingest import read
    from .tagger import tag as tag_document

    _setup_logging(quiet)
    loaded = _load_model(model, trust_model, sha256)
    per_file, failed = each(paths, lambda path: [t.to_dict() for t in tag_document(
        read(path, max_bytes=max_bytes), loaded, explain=explain)])
    rows = [row for rows in per_file for row in rows]
    columns = ["source", "page", "section", "paragraph", "start", "end", "text", "principles", "rung",
               "rung_prob", "mode", "level"]
    if format is TableFormat.table:
        columns = ["page", "rung", "rung_prob", "mode", "level", "principles"] + (["why"] if explain else []) + ["text"]
        for row in rows:
            row["principles"] = ",".join(row["principles"])
    elif format is TableFormat.csv:
        columns = list(rows[0]) if rows else columns
        for row in rows:
            row["principles"] = ";".join(row["principles"])
    if rows or not failed:
        write_rows(rows, format, columns)
    if failed:
        raise typer.Exit(1)


@app.command()
@friendly
def score(
    paths: Paths,
    json_out: Annotated[bool, typer.Option("--json", help="Print the profile and evidence as JSON.")] = False,
    csv_out: Annotated[bool, typer.Option("--csv", help="Print one CSV row of figures per document.")] = False,
    combined: Annotated[str | None, typer.Option("--combined", help="Also profile all documents together under this name.")] = None,
    min_support: Annotated[int, typer.Option(help="Sentences needed for a rung, principle or level to count.")] = 2,
    model: ModelOpt = None,
    trust_model: TrustOpt = False,
    sha256: Sha256Opt = None,
    max_bytes: MaxBytes = None,
    quiet: Quiet = False,
) -> None:
    """Print each document's embeddedness profile, lip-service index and evidence."""
    from .ingest import read
    from .scorer import Scorer

    _setup_logging(quiet)
    scorer = Scorer(_load_model(model, trust_model, sha256), min_support=min_support)
    results, failed = each(paths, lambda path: scorer.score(read(path, max_bytes=max_bytes)))
    profiles = [r.profile for r in results]
    if combined and results:
        profiles.append(scorer.profile(results, combined))
    if json_out:
        payload = [r.to_dict() for r in results]
        if combined and results:
            payload.append({"document": {"source": combined, "documents": len(results)},
                            "profile": profiles[-1].to_dict(), "evidence": profiles[-1].evidence_dict()})
        typer.echo(json.dumps(payload[0] if len(payload) == 1 else payload, indent=2, ensure_ascii=False))
    elif csv_out:
        from .profile import compare

        if profiles:
            typer.echo(compare(profiles).to_csv(), nl=False)
    else:
        for p in profiles:
            lo, hi = p.lip_service_ci95
            typer.echo(f"{p.name}\n  {p.summary}\n  embeddedness {p.embeddedness:.0f}/100 "
                       f"[{p.embeddedness_ci95[0]:.0f}, {p.embeddedness_ci95[1]:.0f}]; lip-service index "
                       f"{p.lip_service_index:.2f} [{lo:.2f}, {hi:.2f}]{' LIP SERVICE' if p.lip_service else ''}; "
                       f"principles {p.principles_present}/6; levels " + ", ".join(
                           f"{lv} {v['count']}" for lv, v in p.levels.items()))
            for e in p.evidence["claims_without_practice"][:3]:
                typer.echo(f"  claim without practice ({e.citation}): {e.text}")
            for e in p.evidence["strongest_practice"][:3]:
                typer.echo(f"  practice, {e.rung} ({e.citation}): {e.text}")
    if failed:
        raise typer.Exit(1)


@app.command()
@friendly
def corpus(
    source: Annotated[Path, typer.Argument(help="Folder of documents, or a manifest CSV with a 'path' column "
                                                "and metadata columns.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the Parquet tables (resumable).")],
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (-1: all cores).")] = 1,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address: run on a cluster instead.")] = None,
    timeout: Annotated[float, typer.Option(help="Time limit per document, in seconds.")] = 120.0,
    chunk_size: Annotated[int, typer.Option(help="Documents per task.")] = 8,
    retry_failed: Annotated[bool, typer.Option(help="Try again the files that failed in an earlier run.")] = False,
    model: ModelOpt = None,
    trust_model: TrustOpt = False,
    sha256: Sha256Opt = None,
    max_bytes: MaxBytes = None,
    quiet: Quiet = False,
) -> None:
    """Score every document of a corpus into sentences, documents and failures Parquet tables."""
    from .corpus import score_corpus

    _setup_logging(True)  # per-file problems go to the failures table, not the terminal
    run = score_corpus(source, out, jobs=jobs, chunk_size=chunk_size, model=model, trust=trust_model,
                       sha256=sha256, timeout=timeout, max_bytes=max_bytes, scheduler=scheduler,
                       progress=None if not quiet else False, retry_failed=retry_failed)
    if not quiet:
        typer.echo(str(run), err=True)


@app.command()
@friendly
def report(
    paths: Paths,
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write ('-' for standard output).")] = Path("report.html"),
    title: Annotated[str, typer.Option(help="Title of the report.")] = "Co-production evidence report",
    combined: Annotated[str | None, typer.Option("--combined", help="Add the profile of all documents together under this name.")] = None,
    model: ModelOpt = None,
    trust_model: TrustOpt = False,
    sha256: Sha256Opt = None,
    max_bytes: MaxBytes = None,
    quiet: Quiet = False,
) -> None:
    """Write a self-contained HTML evidence report (league table, quotes with pages, methods)."""
    from .ingest import read
    from .report import render, write
    from .scorer import Scorer

    _setup_logging(quiet)
    scorer = Scorer(_load_model(model, trust_model, sha256))
    results, failed = each(paths, lambda path: scorer.score(read(path, max_bytes=max_bytes)))
    if not results:
        raise CoprodError("no document could be read; no report written")
    page = render(results, title=title, card=scorer.model.card,
                  combined=scorer.profile(results, combined) if combined else None)
    if str(out) == "-":
        sys.stdout.write(page)
    else:
        typer.echo(f"wrote {write(page, out)}", err=True)
    if failed:
        raise typer.Exit(1)


@app.command()
@friendly
def train(
    data: Annotated[list[Path] | None, typer.Argument(help="Corpus folders or gold JSONL files "
                                                            "(default: the bundled corpus).", show_default=False)] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write model.joblib and card.json to.")] = Path("models/my-model"),
    seed: Annotated[int, typer.Option(help="Random seed (training is reproducible from it).")] = 0,
    include_test: Annotated[bool, typer.Option(help="Also train on the corpus's test split.")] = False,
    gold: Annotated[list[Path] | None, typer.Option("--evaluate", help="Gold JSONL files to evaluate on and record "
                                                                         "in the card (never trained on).")] = None,
    cv: Annotated[int, typer.Option(help="Folds of grouped cross-validation to record in the card (0: none).")] = 0,
    embeddings: Annotated[str, typer.Option(help="Dense view: static, minilm or none.")] = "static",
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Cross-validation folds fitted at once (-1: all cores); "
                                                           "the results do not depend on it.")] = 1,
    quiet: Quiet = False,
) -> None:
    """Train the four-head classifier and save it with its card (data, metrics, versions, checksum)."""
    from .dataset import DEFAULT_CORPUS, load_corpus, load_gold, without_headings
    from .model import save, sha256_of
    from .train import card_metrics, cross_validate, train as fit, training_data

    _setup_logging(quiet)
    frame = training_data(data, splits=("train", "test") if include_test else ("train",))
    params = {"embeddings": None if embeddings == "none" else embeddings}
    classifier = fit(frame, seed=seed, **params)
    command = "coprod train " + " ".join(sys.argv[2:]) if sys.argv[1:2] == ["train"] else "coprod train"
    card = {"command": command,
            "training_data": {"sources": [str(d) for d in (data or ["data/corpus"])], "sentences": len(frame),
                              "documents": int(frame["doc_id"].nunique()),
                              "splits": "train+test" if include_test else "train",
                              "rung_counts": frame["rung"].value_counts().to_dict()},
            "seed": seed, "params": {k: repr(v) for k, v in classifier.get_params(deep=False).items()}}
    test = None
    if not include_test and not data:
        _, sentences = load_corpus(DEFAULT_CORPUS)
        test = without_headings(sentences[sentences["split"] == "test"])
    card.update(card_metrics(classifier, test=test, gold={Path(g).stem: load_gold(g) for g in gold or []}))
    if cv:
        from .model import CoprodClassifier

        card["cross_validation"] = {"folds": cv, "grouped_by": "document",
                                    **cross_validate(frame, folds=cv, seed=seed, n_jobs=jobs,
                                                     classifier=CoprodClassifier(random_state=seed, **params))}
    path = save(classifier, out, card)
    digest = sha256_of(path)
    typer.echo(f"saved {path} (sha256 {digest}); load it with --model {out} --sha256 {digest}")


@app.command()
@friendly
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL file (text, principles, rung, mode, level) or a corpus folder.")],
    split: Annotated[str, typer.Option(help="Split to score when GOLD is a corpus folder.")] = "test",
    json_out: Annotated[bool, typer.Option("--json", help="Print the full JSON result.")] = False,
    n_boot: Annotated[int, typer.Option(help="Bootstrap resamples for the 95% intervals.")] = 1000,
    model: ModelOpt = None,
    trust_model: TrustOpt = False,
    sha256: Sha256Opt = None,
    quiet: Quiet = False,
) -> None:
    """Score a model and the keyword baseline against gold labels."""
    from .dataset import load_corpus, load_gold, without_headings
    from .evaluate import HEADLINES, evaluate as run

    _setup_logging(quiet)
    if gold.is_dir():
        _, sentences = load_corpus(gold)
        frame = without_headings(sentences[sentences["split"] == split])
        if frame.empty:
            raise CoprodError(f"{gold}: no sentences in split {split!r}")
    else:
        frame = load_gold(gold)
    loaded = _load_model(model, trust_model, sha256)
    result = run(loaded.classifier, frame, n_boot=n_boot)
    result["model"] = {"name": loaded.name, "sha256": loaded.sha256}
    result["gold"] = str(gold) + (f" (split {split})" if gold.is_dir() else "")
    if json_out:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(f"{result['gold']}: {result['n']} sentences, model {loaded.name}")
    typer.echo(f"{'figure':<22}{'model':>8}  {'95% CI':<15}{'baseline':>9}")
    for head, metric in HEADLINES:
        lo, hi = result[head]["ci95"][metric]
        typer.echo(f"{head + ' ' + metric:<22}{result[head][metric]:>8.3f}  [{lo:.3f}, {hi:.3f}] "
                   f"{result['baseline'][head][metric]:>9.3f}")
    if result["unreliable"]:
        typer.echo(f"unreliable labels (F1 < {result['reliability_floor']}): {', '.join(result['unreliable'])}")


@app.command()
@friendly
def embeddings(
    out: Annotated[Path, typer.Argument(help="Folder to write the static embeddings to.")] = Path("models/static-minilm-256"),
    dims: Annotated[int, typer.Option(help="Dimensions kept by PCA.")] = 256,
) -> None:
    """Distil static sentence embeddings from the packaged all-MiniLM-L6-v2 (needs the embeddings extra)."""
    from .embeddings import distil

    typer.echo(f"wrote {distil(out, dims)}")


data_app = typer.Typer(no_args_is_help=True, help="Check and describe the annotated corpus.")
app.add_typer(data_app, name="data")
CorpusPath = Annotated[Path | None, typer.Argument(help="Corpus folder (default: the bundled data/corpus).",
                                                   show_default=False)]


@data_app.command("validate")
@friendly
def data_validate(path: CorpusPath = None) -> None:
    """Check the corpus: schema, labels, duplicates, split leakage, minimum counts."""
    from .dataset import DEFAULT_CORPUS, validate_corpus

    result = validate_corpus(path or DEFAULT_CORPUS)
    if result.counts is not None:
        typer.echo(result.counts.to_string())
    for key, value in result.figures.items():
        typer.echo(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    if not result.ok:
        for problem in result.problems[:20]:
            typer.echo(f"problem: {problem}", err=True)
        if len(result.problems) > 20:
            typer.echo(f"problem: ... and {len(result.problems) - 20} more", err=True)
        raise CoprodError(f"the corpus at {path or DEFAULT_CORPUS} has {len(result.problems)} problem(s)")
    typer.echo("corpus OK")


@data_app.command("stats")
@friendly
def data_stats(
    path: CorpusPath = None,
    by: Annotated[list[str], typer.Option(help="Document columns to break counts down by.")] = ["doc_type", "org_type", "country"],
    markdown: Annotated[bool, typer.Option(help="Print Markdown tables (for the data card).")] = False,
    update_card: Annotated[Path | None, typer.Option(help="Rewrite the generated section of this data card.")] = None,
) -> None:
    """Print the counts per label and per split, and documents per document type."""
    from .cards import data_card_markdown, replace_section
    from .dataset import DEFAULT_CORPUS, count_table, document_table, load_corpus

    if update_card is not None:
        changed = replace_section(update_card, data_card_markdown(path or DEFAULT_CORPUS))
        typer.echo(f"{update_card}: {'updated' if changed else 'already up to date'}")
        return

    documents, sentences = load_corpus(path or DEFAULT_CORPUS)
    tables = [("Sentences per label and split", count_table(sentences))]
    for column in by:
        if column not in documents.columns:
            raise CoprodError(f"unknown document column {column!r}; valid: {', '.join(documents.columns)}")
        tables.append((f"Documents and sentences per {column}", document_table(documents, sentences, column)))
    for title, table in tables:
        typer.echo(f"\n### {title}\n" if markdown else f"\n{title}")
        typer.echo(table.to_markdown() if markdown else table.to_string())


def main() -> None:
    """Entry point of the ``coprod`` console script."""
    app()


if __name__ == "__main__":
    main()
