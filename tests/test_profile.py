"""Profiles of documents built to a known ground truth, in several formats; stability; comparison;
the notebook API and plots."""

from __future__ import annotations

import html as html_lib
import json
import random

import pytest
from matplotlib.figure import Figure
from typer.testing import CliRunner

import coprod_nlp
from coprod_nlp.cli import app
from coprod_nlp.labels import RUNG_ORDER

from .conftest import make_docx, make_pdf
from .documents import (BUZZWORD_SURVEY, FINANCE_PAGE, FINANCE_PAPER, GENUINE_STRATEGY, PLAIN_WORDS_POWER,
                        RHETORIC_CHARTER)


def as_text(blocks):
    return "\n\n".join(text for _, text in blocks)


def as_html(blocks):
    body = "".join(f"<h2>{html_lib.escape(t)}</h2>" if k == "heading" else f"<p>{html_lib.escape(t)}</p>"
                   for k, t in blocks)
    return (f"<html><head><title>{html_lib.escape(blocks[0][1])}</title></head><body><nav><a href='/'>Home</a>"
            f"</nav><main>{body}</main><footer>Cookie settings. Privacy.</footer></body></html>")


def as_markdown(blocks):
    return "\n\n".join(("## " + t) if k == "heading" else t for k, t in blocks)


@pytest.fixture(scope="module")
def scorer():
    return coprod_nlp.load(n_boot=400)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("truth")
    paths = {
        "genuine": make_docx(folder / "genuine_strategy.docx", [("heading" if k == "heading" else "para", t)
                                                                 for k, t in GENUINE_STRATEGY]),
        "charter": folder / "charter.html",
        "finance": make_pdf(folder / "finance.pdf", [FINANCE_PAPER[:8], FINANCE_PAPER[8:]]),
        "plain": folder / "tenants_annual_report.txt",
        "buzzword": folder / "urgent_care_plan.md",
    }
    paths["charter"].write_text(as_html(RHETORIC_CHARTER), encoding="utf-8")
    paths["plain"].write_text(as_text(PLAIN_WORDS_POWER), encoding="utf-8")
    paths["buzzword"].write_text(as_markdown(BUZZWORD_SURVEY), encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def profiles(scorer, files):
    return {name: scorer.score(path).profile for name, path in files.items()}


def test_documents_are_read_in_their_formats(scorer, files):
    assert scorer.score(files["finance"]).document.pages == 2
    assert scorer.score(files["genuine"]).document.format == "docx"
    charter = scorer.score(files["charter"])
    assert charter.document.format == "html" and "Cookie" not in charter.document.text


def test_profiles_order_documents_sensibly(profiles):
    e = {name: p.embeddedness for name, p in profiles.items()}
    assert e["genuine"] > e["charter"] and e["genuine"] > e["buzzword"] and e["genuine"] > e["finance"]
    assert e["plain"] > e["charter"] and e["plain"] > e["buzzword"] and e["plain"] > e["finance"]
    assert min(e["charter"], e["buzzword"]) > e["finance"]
    assert e["finance"] < 10


def test_depth_claimed_and_practised(profiles):
    practised = {name: RUNG_ORDER[p.practised_top_rung] for name, p in profiles.items()}
    assert practised["genuine"] == RUNG_ORDER["co_production"]
    assert practised["plain"] >= RUNG_ORDER["co_design"]
    assert practised["charter"] <= RUNG_ORDER["consultation"]
    assert practised["finance"] == 0 and profiles["finance"].n_involvement <= 1
    assert RUNG_ORDER[profiles["charter"].claimed_top_rung] >= RUNG_ORDER["co_design"]
    assert profiles["genuine"].principles_present >= 4 and profiles["finance"].principles_present == 0
    assert profiles["genuine"].levels["strategic"]["count"] >= 3


def test_lip_service_flagged_only_where_it_is(profiles):
    assert profiles["charter"].lip_service
    lo, hi = profiles["charter"].lip_service_ci95
    assert lo > 0.2 and hi <= 1
    for name in ("genuine", "plain", "finance"):
        assert not profiles[name].lip_service, name
    assert profiles["genuine"].lip_service_index < profiles["charter"].lip_service_index
    claims = profiles["charter"].evidence["claims_without_practice"]
    assert claims and all(e.mode == "rhetoric" for e in claims)


def test_evidence_carries_pages_and_sections(profiles, scorer, files):
    strongest = profiles["genuine"].evidence["strongest_practice"]
    assert strongest[0].rung == "co_production" and strongest[0].section
    finance = scorer.score(files["finance"])
    assert {t.sentence.page for t in finance.sentences} == {1, 2}


def test_same_document_same_profile(scorer, files):
    a, b = scorer.score(files["genuine"]).profile, scorer.score(files["genuine"]).profile
    assert a.to_dict() == b.to_dict()


def test_shuffled_paragraphs_stay_within_the_interval(scorer):
    blocks = [t for k, t in GENUINE_STRATEGY if k != "heading"]
    base = scorer.score("\n\n".join(blocks)).profile
    shuffled = blocks[:]
    random.Random(4).shuffle(shuffled)
    other = scorer.score("\n\n".join(shuffled)).profile
    lo, hi = base.embeddedness_ci95
    assert lo <= other.embeddedness <= hi
    lo, hi = base.lip_service_ci95
    assert lo <= other.lip_service_index <= hi


@pytest.mark.xfail(strict=True, reason="known model error since the round-three corpus: in the buzzword "
                   "document, 'co-design events were presentations' and 'the plan was approved by the "
                   "Executive Committee' are tagged co_design practice (see models/README.md, known limits)")
def test_buzzword_document_practice_stays_at_consultation(profiles):
    assert RUNG_ORDER[profiles["buzzword"].practised_top_rung] <= RUNG_ORDER["consultation"]


def test_unrelated_finance_page_does_not_raise_the_score(scorer):
    for blocks in (GENUINE_STRATEGY, RHETORIC_CHARTER, PLAIN_WORDS_POWER):
        base = scorer.score(as_text(blocks)).profile
        padded = scorer.score(as_text(blocks + FINANCE_PAGE + FINANCE_PAPER)).profile
        assert padded.embeddedness <= base.embeddedness


def test_compare_marks_differences_beyond_uncertainty(scorer, files):
    table = scorer.compare([files["genuine"], files["finance"], files["charter"]])
    assert list(table.index) == [str(files["genuine"]), str(files["finance"]), str(files["charter"])]
    ref = str(files["genuine"])
    assert table.loc[str(files["finance"]), f"embeddedness_diff_vs_{ref}"] < 0
    assert table.loc[str(files["finance"]), "embeddedness_signif"] == "-"
    assert table.loc[ref, "embeddedness_signif"] == ""
    assert {"claimed_top_rung", "practised_top_rung", "lip_service_index", "lip_service_lo"} <= set(table.columns)


def test_set_of_documents_has_one_profile(scorer, files):
    results = [scorer.score(files["genuine"]), scorer.score(files["finance"])]
    combined = scorer.profile(results, "Lowmoor 2025")
    assert combined.n_documents == 2
    assert combined.n_sentences == sum(len(r.sentences) for r in results)


def test_results_are_dataclasses_with_frames_and_dicts(scorer, files):
    result = scorer.score(files["plain"])
    frame = result.to_frame()
    assert {"text", "page", "section", "rung", "mode", "level", "rung_prob", "principle_prob_assets"} <= set(frame.columns)
    assert len(frame) == len(result.sentences)
    data = result.to_dict()
    json.dumps(data)
    assert "embeddedness" in repr(result.profile) and "DocumentScore" in repr(result)
    assert "<script>" not in scorer.score("<script>alert(1)</script> Tenants decide.")._repr_html_()


def test_plots_return_figures(profiles):
    from coprod_nlp import plots

    for make in (plots.ladder, plots.principles, plots.levels):
        fig = make(profiles["genuine"])
        assert isinstance(fig, Figure) and fig.axes and fig.axes[0].get_title()


def test_empty_text_gives_an_empty_profile(scorer):
    p = scorer.score("").profile
    assert p.n_sentences == 0 and p.embeddedness == 0 and not p.lip_service


def test_score_cli_json_contract(files):
    result = CliRunner().invoke(app, ["score", str(files["charter"]), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    profile = data["profile"]
    for key in ("principles", "rung_counts", "claimed_top_rung", "practised_top_rung", "levels", "embeddedness",
                "lip_service_index", "lip_service_ci95", "lip_service"):
        assert key in profile
    assert set(profile["rung_counts"]) == {"rhetoric", "practice"}
    assert data["evidence"]["claims_without_practice"][0]["citation"]
    assert "page" in data["evidence"]["strongest_practice"][0]


def test_score_cli_csv_and_text(files):
    runner = CliRunner()
    csv_result = runner.invoke(app, ["score", str(files["genuine"]), str(files["finance"]), "--csv"])
    assert csv_result.exit_code == 0 and csv_result.stdout.splitlines()[0].startswith("name,")
    assert len(csv_result.stdout.splitlines()) == 3
    text = runner.invoke(app, ["score", str(files["charter"])]).stdout
    assert "lip-service index" in text and "Claims" in text
