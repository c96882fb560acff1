"""The evidence report: one self-contained HTML page a campaigner can hand to a board.

:func:`render` returns the HTML string and :func:`write` saves it. Everything is inline (CSS,
SVG charts with text alternatives, a few lines of script to sort the league table), so the file
opens anywhere with no network. Every piece of document text passes through
:func:`html.escape`: markup in a document shows as text and never runs. A print stylesheet lays
the report out on A4.
"""

from __future__ import annotations

import hashlib
import html
import json
from datetime import date
from pathlib import Path

from .labels import DISPLAY, PRINCIPLES, RUNG_ORDER, RUNGS
from .profile import LEVEL_NAMES, Evidence, Profile
from .scorer import DocumentScore

e = html.escape

CSS = """
:root { --ink:#1a1a1a; --muted:#4a4a4a; --claim:#9a4a00; --practice:#1f4e79; --line:#c8c8c8; --warn:#8a1c1c; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 60rem; padding: 1.5rem; background: #fff; }
h1 { font-size: 1.8rem; margin: 0 0 .3rem; } h2 { font-size: 1.4rem; margin-top: 2.2rem; border-top: 2px solid var(--ink); padding-top: .8rem; }
h3 { font-size: 1.1rem; margin-top: 1.5rem; } .muted { color: var(--muted); }
.headline { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: .7rem 1rem; min-width: 12rem; }
.figure .value { font-size: 1.8rem; font-weight: 700; } .figure .label { color: var(--muted); font-size: .9rem; }
.flag { color: var(--warn); font-weight: 700; }
.summary { font-size: 1.15rem; background: #f4f4f4; border-left: 5px solid var(--practice); padding: .6rem 1rem; }
blockquote { margin: .6rem 0; padding: .4rem .9rem; border-left: 4px solid var(--line); background: #fafafa; }
blockquote.claim { border-left-color: var(--claim); } blockquote.practice { border-left-color: var(--practice); }
blockquote cite { display: block; font-style: normal; color: var(--muted); font-size: .85rem; margin-top: .2rem; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0; font-size: .95rem; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th button { font: inherit; font-weight: 700; background: none; border: 0; padding: 0; cursor: pointer; color: var(--ink); text-decoration: underline; }
td.num, th.num { text-align: right; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(17rem, 1fr)); gap: 1rem; }
figure { margin: 0; } figcaption { font-size: .9rem; color: var(--muted); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.methods { font-size: .92rem; background: #f7f7f7; padding: .8rem 1rem; border-radius: 6px; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  th button { text-decoration: none; }
  section.document { break-before: page; }
  blockquote, figure, .figure, tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""

SORT_SCRIPT = """
document.querySelectorAll("table.sortable th button").forEach(function (button, column) {
  button.addEventListener("click", function () {
    var table = button.closest("table"), body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = button.getAttribute("data-dir") !== "asc";
    rows.sort(function (a, b) {
      var x = a.cells[column].getAttribute("data-sort"), y = b.cells[column].getAttribute("data-sort");
      var nx = parseFloat(x), ny = parseFloat(y);
      var order = (isNaN(nx) || isNaN(ny)) ? x.localeCompare(y) : nx - ny;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    button.setAttribute("data-dir", ascending ? "asc" : "desc");
    button.parentNode.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  });
});
"""


def _bar_chart(title: str, rows: list[tuple[str, list[tuple[float, str, str]]]], maximum: float,
               unit: str) -> str:
    """A horizontal bar chart in inline SVG, with a text alternative (a caption and a table)."""
    label_w, bar_w, row_h = 215, 200, 22
    n_series = max(len(series) for _, series in rows) if rows else 1
    height = len(rows) * row_h * n_series + 10
    parts = [f'<svg role="img" aria-labelledby="{{id}}-t" viewBox="0 0 {label_w + bar_w + 50} {height}" '
             f'width="100%"><title id="{{id}}-t">{e(title)}</title>']
    y = 5
    for label, series in rows:
        parts.append(f'<text x="{label_w - 6}" y="{y + row_h * n_series / 2 + 4}" text-anchor="end" '
                     f'font-size="12" fill="#1a1a1a">{e(label)}</text>')
        for value, colour, _ in series:
            width = 0 if maximum <= 0 else bar_w * value / maximum
            parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row_h - 6}" fill="{colour}"/>'
                         f'<text x="{label_w + width + 4:.1f}" y="{y + row_h - 7}" font-size="11" fill="#1a1a1a">'
                         f'{value:g}</text>')
            y += row_h
    parts.append("</svg>")
    header = "".join(f"<th scope='col'>{e(name)}</th>" for _, _, name in (rows[0][1] if rows else []))
    body = "".join(f"<tr><th scope='row'>{e(label)}</th>" + "".join(f"<td>{v:g} {e(unit)}</td>" for v, _, _ in series)
                   + "</tr>" for label, series in rows)
    chart_id = "c" + hashlib.sha1(f"{title}{rows}".encode()).hexdigest()[:10]
    svg = "".join(parts).replace("{id}", chart_id)
    return (f"<figure>{svg}<figcaption>{e(title)}</figcaption>"
            f"<table class='sr-only'><caption>{e(title)}</caption><tr><th scope='col'>item</th>{header}</tr>{body}</table>"
            f"</figure>")


def ladder_chart(p: Profile) -> str:
    rungs = [r for r in RUNGS if r != "none"][::-1]
    rows = [(DISPLAY[r], [(p.rung_counts["rhetoric"][r], "#9a4a00", "claimed (sentences)"),
                          (p.rung_counts["practice"][r], "#1f4e79", "practised (sentences)")]) for r in rungs]
    top = max([v for _, series in rows for v, _, _ in series] + [1])
    return _bar_chart("Ladder of co-production: sentences claiming (orange) and practising (blue) each rung",
                      rows, top, "sentences")


def principles_chart(p: Profile) -> str:
    rows = [(DISPLAY[q], [(round(100 * p.principles[q]["share"], 1), "#1f4e79", "% of sentences")]) for q in PRINCIPLES]
    top = max([v for _, s in rows for v, _, _ in s] + [1])
    return _bar_chart(f"Principles: {p.principles_present} of 6 shown (% of sentences)", rows, top, "%")


def levels_chart(p: Profile) -> str:
    rows = [(DISPLAY[lv], [(round(100 * p.levels[lv]["share"], 1), "#2d6a4f", "% of involvement sentences")])
            for lv in LEVEL_NAMES]
    return _bar_chart("Where involvement appears (% of involvement sentences)", rows, 100, "%")


def _quote(ev: Evidence, kind: str, document: str | None = None) -> str:
    where = ", ".join(x for x in (document, ev.citation) if x)
    return (f"<blockquote class='{kind}'>“{e(ev.text)}”<cite>{e(where)} · labelled {e(DISPLAY[ev.rung])}, "
            f"{e(ev.mode)}, {e(ev.level)} (probability {ev.probability:.2f})</cite></blockquote>")


def _figures(p: Profile) -> str:
    lo, hi = p.lip_service_ci95
    flag = "<div class='flag'>Lip service: the gap is larger than its uncertainty</div>" if p.lip_service else ""
    return (
        "<div class='headline'>"
        f"<div class='figure'><div class='value'>{p.embeddedness:.0f}<span class='muted'>/100</span></div>"
        f"<div class='label'>embeddedness (95% interval {p.embeddedness_ci95[0]:.0f}–{p.embeddedness_ci95[1]:.0f})</div></div>"
        f"<div class='figure'><div class='value'>{p.lip_service_index:.2f}</div>"
        f"<div class='label'>lip-service index, 0 to 1 (95% interval {lo:.2f}–{hi:.2f})</div>{flag}</div>"
        f"<div class='figure'><div class='value'>{e(DISPLAY[p.practised_top_rung])}</div>"
        f"<div class='label'>highest rung shown in practice (claimed: {e(DISPLAY[p.claimed_top_rung])})</div></div>"
        "</div>")


def _section(anchor: str, name: str, meta: str, p: Profile, source: str | None) -> str:
    claims = p.evidence["claims_without_practice"]
    practice = p.evidence["strongest_practice"]
    return "".join([
        f"<section class='document' id='{anchor}'><h2>{e(name)}</h2>",
        f"<p class='muted'>{e(meta)}</p>",
        f"<p class='summary'>{e(p.summary)}</p>", _figures(p),
        f"<div class='charts'>{ladder_chart(p)}{principles_chart(p)}{levels_chart(p)}</div>",
        "<h3>Claims without practice</h3>",
        "".join(_quote(x, "claim", source or Path(x.source).name) for x in claims)
        or "<p>No claim at engagement or above goes beyond the practice the document shows.</p>",
        "<h3>Strongest practice</h3>",
        "".join(_quote(x, "practice", source or Path(x.source).name) for x in practice[:6])
        or "<p>No concrete practice found.</p>",
        "</section>",
    ])


def _document_section(result: DocumentScore, anchor: str) -> str:
    doc = result.document
    pages = f"{doc.pages} page{'s' if doc.pages != 1 else ''}" if doc.pages else "no page numbers"
    meta = f"{doc.source} · {pages} · {len(result.sentences)} sentences"
    return _section(anchor, doc.title or Path(doc.source).name, meta, result.profile, Path(doc.source).name)


def _league(results: list[DocumentScore]) -> str:
    head = ("<tr><th scope='col'><button type='button'>Document</button></th>"
            "<th scope='col' class='num'><button type='button'>Embeddedness</button></th>"
            "<th scope='col' class='num'><button type='button'>Lip-service index</button></th>"
            "<th scope='col'><button type='button'>Claimed</button></th>"
            "<th scope='col'><button type='button'>Practised</button></th>"
            "<th scope='col' class='num'><button type='button'>Principles</button></th>"
            "<th scope='col' class='num'><button type='button'>Strategic share</button></th></tr>")
    rows = []
    for i, r in enumerate(results):
        p = r.profile
        name = r.document.title or Path(r.document.source).name
        rows.append(
            f"<tr><td data-sort='{e(name)}'><a href='#doc{i}'>{e(name)}</a>{' <span class=flag>lip service</span>' if p.lip_service else ''}</td>"
            f"<td class='num' data-sort='{p.embeddedness}'>{p.embeddedness:.0f} ({p.embeddedness_ci95[0]:.0f}–{p.embeddedness_ci95[1]:.0f})</td>"
            f"<td class='num' data-sort='{p.lip_service_index}'>{p.lip_service_index:.2f} ({p.lip_service_ci95[0]:.2f}–{p.lip_service_ci95[1]:.2f})</td>"
            f"<td data-sort='{RUNG_ORDER[p.claimed_top_rung]}'>{e(DISPLAY[p.claimed_top_rung])}</td>"
            f"<td data-sort='{RUNG_ORDER[p.practised_top_rung]}'>{e(DISPLAY[p.practised_top_rung])}</td>"
            f"<td class='num' data-sort='{p.principles_present}'>{p.principles_present}/6</td>"
            f"<td class='num' data-sort='{p.levels['strategic']['share']}'>{100 * p.levels['strategic']['share']:.0f}%</td></tr>")
    return (f"<h2>League table</h2><p class='muted'>Select a column heading to sort. Intervals are 95% bootstrap "
            f"intervals; differences inside them may be chance.</p><table class='sortable'><thead>{head}</thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _methods(card: dict) -> str:
    metrics = card.get("metrics", {}).get("real_dev", {})
    figures = ""
    if metrics:
        figures = (f"On {metrics.get('n', '?')} real sentences from public documents, labelled by hand, the model "
                   f"agrees with the human labels on the rung {100 * metrics.get('rung_accuracy', 0):.0f}% of the time "
                   f"(within one rung {100 * metrics.get('rung_within_one', 0):.0f}%; macro-F1 "
                   f"{metrics.get('rung_macro_f1', 0):.2f}); rhetoric against practice macro-F1 "
                   f"{metrics.get('mode_macro_f1', 0):.2f}; level {metrics.get('level_macro_f1', 0):.2f}; "
                   f"principles {metrics.get('principles_macro_f1', 0):.2f}. ")
    unreliable = card.get("unreliable_labels", [])
    caution = (f"Labels the model gets wrong too often to rely on alone: {e(', '.join(unreliable))}. " if unreliable else "")
    return (
        "<h2>How these figures were made</h2><div class='methods'>"
        "<p>Each sentence was labelled by a statistical model (coprod-nlp, "
        f"{e(str(card.get('name', 'model')))}) with one rung of the ladder of co-production (from coercion to "
        "co-production), whether it is rhetoric or a concrete practice, the level it concerns (a person's own care, "
        "a service, or the organisation as a whole) and the principles of co-production it shows. The profile "
        "counts these labels. The lip-service index measures how far the claims made in rhetoric rise above the "
        "highest rung the document shows in practice.</p>"
        f"<p>{figures}{caution}The model reads one sentence at a time and can be wrong; every quote above can be "
        "checked at the page and section given. Treat the figures as a guide to where to look, not as a verdict: "
        "a document can be silent about practice that exists, and the intervals show how much the figures would "
        "move on a different selection of the same document's sentences.</p></div>")


def render(results: list[DocumentScore], *, title: str = "Co-production evidence report",
           combined: Profile | None = None, card: dict | None = None) -> str:
    """The report as one HTML string: a league table when there are several documents, then a
    section per document (and for ``combined``, the profile of them all together)."""
    card = card or {}
    body = [f"<header><h1>{e(title)}</h1><p class='muted'>Generated {date.today().isoformat()} by coprod-nlp from "
            f"{len(results)} document{'s' if len(results) != 1 else ''}.</p></header><main>"]
    if len(results) > 1:
        body.append(_league(results))
    if combined is not None:
        meta = f"All {combined.n_documents} documents together · {combined.n_sentences} sentences"
        body.append(_section("combined", combined.name, meta, combined, None))
    for i, result in enumerate(results):
        body.append(_document_section(result, f"doc{i}"))
    body.append(_methods(card))
    body.append("</main>")
    meta = json.dumps({"generator": "coprod-nlp", "documents": len(results)})
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<meta name='generator' content='{e(meta)}'><title>{e(title)}</title><style>{CSS}</style></head>"
            f"<body>{''.join(body)}<script>{SORT_SCRIPT}</script></body></html>")


def write(report_html: str, path: str | Path) -> Path:
    """Write the report to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report_html, encoding="utf-8")
    return path
