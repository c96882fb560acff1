"""The annotated corpus: validation of the shipped corpus and of deliberately broken copies,
stats, the data card, the split and the agreement figures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coprod_nlp.cli import app
from coprod_nlp.cards import data_card_markdown, replace_section
from coprod_nlp.dataset import DEFAULT_CORPUS, MINIMUMS, agreement, load_corpus, validate_corpus

runner = CliRunner()
CARD = DEFAULT_CORPUS.parent / "README.md"


def test_shipped_corpus_is_valid():
    result = runner.invoke(app, ["data", "validate"])
    assert result.exit_code == 0, result.output
    assert "corpus OK" in result.stdout and "rung:co_production" in result.stdout


def test_shipped_corpus_meets_the_minimums():
    documents, sentences = load_corpus()
    assert len(documents) >= 150 and len(sentences) >= 5000
    assert (sentences["rung"] == "none").mean() >= 0.35
    assert documents["country"].ne("UK").mean() >= 0.15
    assert set(documents.loc[documents["split"] == "test", "doc_id"]).isdisjoint(
        documents.loc[documents["split"] == "train", "doc_id"])


@pytest.fixture()
def copy(tmp_path):
    target = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS, target, ignore=shutil.ignore_patterns("_staging"))
    return target


def rewrite(path: Path, change) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows = change(rows)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def check(path, expected: str) -> None:
    result = runner.invoke(app, ["data", "validate", str(path)])
    assert result.exit_code == 1
    assert expected in result.stderr, result.stderr


def test_unknown_label_value(copy):
    def change(rows):
        rows[10]["rung"] = "partnership"
        return rows

    rewrite(copy / "sentences.jsonl", change)
    check(copy, "unknown rung 'partnership'")


def test_inconsistent_mode(copy):
    def change(rows):
        row = next(r for r in rows if r["rung"] == "none")
        row["mode"] = "practice"
        return rows

    rewrite(copy / "sentences.jsonl", change)
    check(copy, "rung is 'none' but mode/level are not 'none'")


def test_duplicate_sentence(copy):
    def change(rows):
        rows[20]["text"] = rows[400]["text"]
        return rows

    rewrite(copy / "sentences.jsonl", change)
    check(copy, "exact duplicates")


def test_near_duplicates_over_the_limit(copy):
    def change(rows):
        # twice the limit's share of the corpus, headings or not, so the check must trip at any size
        for r in rows[:int(2 * MINIMUMS["near_duplicate_share"] * len(rows)) + 50]:
            r["text"] = "The Board noted the report on carers and patients in ward " + r["id"].replace("-", " ")
        return rows

    rewrite(copy / "sentences.jsonl", change)
    check(copy, "have a near-duplicate")


def test_split_leakage(copy):
    def change(rows):
        train_doc = next(r for r in rows if r["split"] == "train")
        rows.append({**train_doc, "split": "test"})
        return rows

    rewrite(copy / "documents.jsonl", change)
    check(copy, "duplicate doc_id")


def test_text_in_both_splits(copy):
    documents = {json.loads(l)["doc_id"]: json.loads(l)["split"] for l in (copy / "documents.jsonl").open()}

    def change(rows):
        test_row = next(r for r in rows if documents[r["doc_id"]] == "test" and len(r["text"]) > 60
                        and r["text"] != r["section"])
        train_row = next(r for r in rows if documents[r["doc_id"]] == "train" and len(r["text"]) > 60
                         and r["text"] != r["section"])
        train_row["text"] = test_row["text"]
        return rows

    rewrite(copy / "sentences.jsonl", change)
    check(copy, "appear in both train and test")


def test_a_heading_may_recur_across_documents(copy):
    """Real documents share headings ("Summary"); they are labelled none by rule and not learnt from."""
    def change(rows):
        headings = [r for r in rows if r["text"] == r["section"]]
        first, other = headings[0], next(h for h in headings if h["doc_id"] != headings[0]["doc_id"])
        other["text"] = other["section"] = first["text"]
        return rows

    rewrite(copy / "sentences.jsonl", change)
    result = runner.invoke(app, ["data", "validate", str(copy)])
    assert result.exit_code == 0, result.stderr


def test_below_minimum_counts(copy):
    def change(rows):
        return [r for r in rows if r["rung"] != "coercion"]

    rewrite(copy / "sentences.jsonl", change)
    check(copy, "rung coercion: 0 sentences; at least 60 needed")


def test_broken_json_and_missing_files(copy, tmp_path):
    with (copy / "documents.jsonl").open("a") as fh:
        fh.write("{not json\n")
    check(copy, "not valid JSON")
    check(tmp_path / "nowhere", "no such file")


def test_minimums_are_a_parameter(copy):
    def change(rows):
        return rows[:2000]

    rewrite(copy / "sentences.jsonl", change)
    strict = validate_corpus(copy)
    assert any("sentences; at least 5000 needed" in p for p in strict.problems)
    relaxed = validate_corpus(copy, minimums={"near_duplicate_share": 0.02})
    assert not any("needed" in p for p in relaxed.problems)


def test_stats_command():
    result = runner.invoke(app, ["data", "stats"])
    assert result.exit_code == 0
    for heading in ("Sentences per label and split", "per doc_type", "per org_type", "per country"):
        assert heading in result.stdout
    bad = runner.invoke(app, ["data", "stats", "--by", "colour"])
    assert bad.exit_code == 1 and "unknown document column 'colour'" in bad.stderr


def test_data_card_counts_are_generated_and_current(tmp_path):
    card = CARD.read_text(encoding="utf-8")
    assert data_card_markdown() in card, "run: coprod data stats --update-card data/README.md"
    stale = tmp_path / "README.md"
    stale.write_text(card.replace("rung:none", "rung:nothing"), encoding="utf-8")
    assert replace_section(stale, data_card_markdown()) is True and stale.read_text(encoding="utf-8") == card


def test_agreement_figures():
    rows = [json.loads(l) for l in (DEFAULT_CORPUS / "double_annotation.jsonl").open()]
    documents, sentences = load_corpus()
    assert len(rows) >= 0.10 * len(sentences)
    figures = agreement(rows)
    assert 0.6 < figures["rung"]["kappa"] < 1 and 0.6 < figures["mode"]["kappa"] < 1
    perfect = agreement([{"first": r["first"], "second": r["first"]} for r in rows])
    assert perfect["rung"]["kappa"] == pytest.approx(1.0) and perfect["principles"]["macro_f1"] == pytest.approx(1.0)
