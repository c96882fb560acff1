"""The HTML evidence report, opened in a real headless browser (Chromium via Playwright)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import coprod_nlp
from coprod_nlp.report import render, write

from .documents import FINANCE_PAPER, GENUINE_STRATEGY, RHETORIC_CHARTER

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DOCS_DIR = Path(__file__).resolve().parents[1] / "docs"

HOSTILE = ("<script>document.title='PWNED';window.pwned=1</script> Carers co-chair the board "
           "<img src=x onerror=\"window.pwned=2\"> and <b>vote</b> on every decision.")


def text_of(blocks):
    return "\n\n".join(t for _, t in blocks)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    scorer = coprod_nlp.load(n_boot=300)
    results = [scorer.score(text_of(GENUINE_STRATEGY), name="Lowmoor strategy"),
               scorer.score(text_of(RHETORIC_CHARTER), name="Eastgate charter"),
               scorer.score(text_of(FINANCE_PAPER) + "\n\n" + HOSTILE, name="Finance paper")]
    for r, name in zip(results, ["Lowmoor co-production strategy", "Eastgate co-production charter",
                                 "Month 9 finance report"]):
        r.document.title = name
    page = render(results, title="Evidence report: three papers", card=scorer.model.card,
                  combined=scorer.profile(results, "All three papers"))
    return write(page, tmp_path_factory.mktemp("report") / "report.html"), results


def test_report_is_self_contained_and_escaped(report_file):
    path, _ = report_file
    page = path.read_text(encoding="utf-8")
    assert "<script>document.title" not in page and "onerror=\"window" not in page
    assert "&lt;script&gt;document.title=" in page
    assert "http://" not in page and "https://" not in page  # nothing to fetch
    assert page.count("<h1>") == 1 and "@page { size: A4" in page


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


def test_report_in_a_real_browser(browser, report_file):
    path, results = report_file
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    assert page.title() == "Evidence report: three papers"  # the document's script did not run
    assert page.evaluate("typeof window.pwned") == "undefined"
    body = page.inner_text("body")
    assert "<script>document.title='PWNED'" in body  # shown as text
    charter = results[1].profile
    assert f"{charter.embeddedness:.0f}" in body and f"{charter.lip_service_index:.2f}" in body
    for claim in charter.evidence["claims_without_practice"][:2]:
        assert claim.text in body
    assert "League table" in body and "How these figures were made" in body
    assert all(u.startswith("file://") for u in requests)  # no network
    # headings in order, charts with text alternatives
    levels = page.eval_on_selector_all("h1, h2, h3", "els => els.map(e => Number(e.tagName[1]))")
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:]))
    assert page.eval_on_selector_all("svg[role=img]", "els => els.every(s => s.querySelector('title').textContent.length > 0)")
    # the league table sorts
    first = lambda: page.inner_text("table.sortable tbody tr:first-child td:first-child")
    page.click("table.sortable th:nth-child(2) button")
    ascending = first()
    page.click("table.sortable th:nth-child(2) button")
    assert first() != ascending
    DOCS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS_DIR / "report-screenshot.png"), clip={"x": 0, "y": 0, "width": 1100, "height": 1400})
    page.close()


def test_report_prints_on_a4(browser, report_file, tmp_path):
    path, _ = report_file
    page = browser.new_page()
    page.goto(path.as_uri())
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    page.close()
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    width, height = doc[0].get_size()
    assert abs(width - 595) < 3 and abs(height - 842) < 3 and len(doc) >= 4  # A4, a page per document


def test_report_cli(tmp_path):
    from typer.testing import CliRunner

    from coprod_nlp.cli import app

    source = tmp_path / "paper.txt"
    source.write_text(text_of(RHETORIC_CHARTER), encoding="utf-8")
    out = tmp_path / "out.html"
    result = CliRunner().invoke(app, ["report", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Claims without practice" in out.read_text(encoding="utf-8")
    missing = CliRunner().invoke(app, ["report", str(tmp_path / "nope.pdf"), "--out", str(out)])
    assert missing.exit_code == 1 and "no document could be read" in missing.stderr
