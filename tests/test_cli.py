"""The coprod command line: help on every command, output formats, one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from coprod_nlp.cli import app

runner = CliRunner()


def command_names():
    import typer.main

    group = typer.main.get_command(app)
    names = []
    for name, cmd in group.commands.items():
        names.append([name])
        for sub in getattr(cmd, "commands", {}):
            names.append([name, sub])
    return names


@pytest.mark.parametrize("command", command_names(), ids=lambda c: " ".join(c))
def test_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_segment_jsonl_rows(board_pdf):
    result = runner.invoke(app, ["segment", str(board_pdf), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"source", "text", "page", "section", "paragraph", "start", "end"} <= set(rows[0])
    row = next(r for r in rows if r["text"] == "The Board is asked to note the report.")
    assert (row["page"], row["section"]) == (1, "1. Purpose of the report")


def test_segment_csv_and_table(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Heading here\n\nCarers co-chair the board. It works.", encoding="utf-8")
    csv_out = runner.invoke(app, ["segment", str(path), "-f", "csv"]).stdout.splitlines()
    assert csv_out[0] == "source,page,section,paragraph,start,end,text"
    assert csv_out[-1].endswith(",It works.") and len(csv_out) == 4
    table = runner.invoke(app, ["segment", str(path)]).stdout
    assert "Carers co-chair the board." in table and "page" in table.splitlines()[0]


def test_missing_file_is_one_line_error(tmp_path):
    result = runner.invoke(app, ["segment", str(tmp_path / "missing.pdf")])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"error: {tmp_path / 'missing.pdf'}: no such file"]
    assert "Traceback" not in result.output


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Residents chose how the fund was spent.", encoding="utf-8")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    result = runner.invoke(app, ["segment", str(bad), str(good), "-f", "jsonl"])
    assert result.exit_code == 1
    assert "corrupt or unreadable PDF" in result.stderr
    assert json.loads(result.stdout.splitlines()[0])["text"] == "Residents chose how the fund was spent."
