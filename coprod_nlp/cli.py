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
    failed = 0
    rows: list[dict] = []
    for path in paths:
        try:
            rows.extend(s.to_dict() for s in cut(read(path, max_bytes=max_bytes), nlp))
        except CoprodError as exc:
            typer.echo(f"error: {exc}", err=True)
            failed += 1
    if rows or not failed:
        write_rows(rows, format, ["source", "page", "section", "paragraph", "start", "end", "text"])
    if failed:
        raise typer.Exit(1)


def main() -> None:
    """Entry point of the ``coprod`` console script."""
    app()


if __name__ == "__main__":
    main()
