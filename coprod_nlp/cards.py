"""The generated parts of the data card (``data/README.md``) and the model card
(``models/README.md``): figures are written from the data and the model, never typed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .dataset import DEFAULT_CORPUS, read_jsonl, agreement, count_table, document_table, load_corpus
from .errors import DataError
from .labels import NONE, PRINCIPLES


CARD_START = "<!-- generated from the data or the model: do not edit by hand -->"
CARD_END = "<!-- end of generated section -->"


def data_card_markdown(path: str | Path = DEFAULT_CORPUS, by: tuple[str, ...] = ("doc_type", "org_type", "country")) -> str:
    """The counts of the corpus as Markdown tables (the generated part of the data card)."""
    documents, sentences = load_corpus(path)
    involvement = sentences["rung"].ne(NONE)
    lines = [f"{len(documents)} documents, {len(sentences)} sentences "
             f"({(documents['split'] == 'train').sum()} documents / {(sentences['split'] == 'train').sum()} sentences "
             f"in train, {(documents['split'] == 'test').sum()} / {(sentences['split'] == 'test').sum()} in test); "
             f"rung none {100 * (~involvement).mean():.1f}% of sentences; documents from outside the UK "
             f"{100 * documents['country'].ne('UK').mean():.1f}%; hard cases "
             f"{100 * sentences.loc[involvement, 'hard_case'].notna().mean():.1f}% of involvement sentences.",
             "", "### Sentences per label and split", "", count_table(sentences).to_markdown(), "",
             "### Hard cases", "",
             sentences["hard_case"].value_counts().rename("sentences").to_frame().to_markdown()]
    double_path = Path(path) / "double_annotation.jsonl"
    if double_path.exists():
        rows = read_jsonl(double_path)
        figures = agreement(rows)
        table = pd.DataFrame({head: {"Cohen's kappa": v.get("kappa", v.get("kappa_mean")), "macro-F1": v["macro_f1"],
                                     "raw agreement": v.get("agreement")} for head, v in figures.items()}).T
        per = {p: figures["principles"][f"kappa_{p}"] for p in PRINCIPLES}
        n_adj = sum(r.get("adjudicated") is not None for r in rows)
        lines += ["", "### Agreement of two independent labellings", "",
                  f"{len(rows)} sentences ({100 * len(rows) / len(sentences):.1f}% of the corpus, "
                  f"{len({r['id'].rsplit('-s', 1)[0] for r in rows})} whole documents) were labelled a second time "
                  f"without sight of the first labels; {n_adj} disagreed on at least one head and were adjudicated. "
                  "For principles, kappa is the mean over the six principles and macro-F1 treats the first "
                  "labelling as reference.", "", table.round(3).to_markdown(), "",
                  "Kappa per principle: " + ", ".join(f"{p} {v:.2f}" for p, v in per.items()) + "."]
    for column in by:
        lines += ["", f"### Documents and sentences per {column}", "", document_table(documents, sentences, column).to_markdown()]
    return "\n".join(lines) + "\n"




def model_card_markdown(card: dict) -> str:
    """The figures of a model's ``card.json`` as Markdown: data, metrics with their commands and
    intervals, the keyword baseline, cross-validation, unreliable labels and versions."""
    lines = [f"Model `{card.get('name')}`, trained {card.get('created', '?')} with `{card.get('command', 'coprod train')}` "
             f"(seed {card.get('seed')}) on {card['training_data']['sentences']} sentences from "
             f"{card['training_data']['documents']} documents ({card['training_data']['splits']} split of "
             f"{', '.join(card['training_data']['sources'])}). SHA-256 of `model.joblib`: `{card.get('sha256')}`.", ""]
    commands = {"test_split": "coprod evaluate data/corpus --split test --json",
                "real_dev": "coprod evaluate ../shared/eval/real_dev.jsonl --json"}
    rows = []
    for name, m in card.get("metrics", {}).items():
        ci = m["ci95"]
        row = {"evaluation set": f"{name} (n={m['n']})", "command": f"`{commands.get(name, f'coprod evaluate {name}.jsonl --json')}`"}
        for key, label in (("rung_macro_f1", "rung macro-F1"), ("rung_within_one", "rung within one"),
                           ("principles_macro_f1", "principles macro-F1"), ("mode_macro_f1", "mode macro-F1"),
                           ("level_macro_f1", "level macro-F1")):
            row[label] = f"{m[key]:.3f} [{ci[key][0]:.2f}, {ci[key][1]:.2f}] (baseline {m['baseline'][key]:.3f})"
        rows.append(row)
    if rows:
        lines += ["### Held-out figures (95% bootstrap intervals; keyword baseline in brackets)", "",
                  pd.DataFrame(rows).set_index("evaluation set").T.to_markdown(), ""]
    cv = card.get("cross_validation")
    if cv:
        lines += [f"### Cross-validation, {cv['folds']} folds grouped by document (on the training data)", "",
                  pd.DataFrame({k: {"mean": v["mean"], "sd": v["sd"]} for k, v in cv.items() if isinstance(v, dict)}
                               ).T.round(3).to_markdown(), ""]
    for name, m in card.get("metrics", {}).items():
        per = pd.DataFrame({h: pd.Series(v) for h, v in m["per_label_f1"].items()}).round(3)
        lines += [f"### F1 per label: {name}", "", per.to_markdown(), ""]
    unreliable = card.get("unreliable_labels", [])
    lines += ["### Unreliable labels", "",
              ("Labels with at least 10 held-out examples whose F1 is under 0.5 on a held-out set, flagged in the "
               "API (`LoadedModel.unreliable`, `TaggedSentence.unreliable`) and in `coprod tag` output: "
               + (", ".join(f"`{u}`" for u in unreliable) if unreliable else "none") + "."), ""]
    lines += ["### Versions", "", pd.Series(card.get("versions", {}), name="version").to_markdown(), ""]
    return "\n".join(lines)


def replace_section(path: str | Path, body: str) -> bool:
    """Rewrite the generated section of a card (between :data:`CARD_START` and :data:`CARD_END`);
    return True when it changed."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if CARD_START not in text or CARD_END not in text:
        raise DataError(f"{path}: no generated section (between {CARD_START!r} and {CARD_END!r})")
    head, rest = text.split(CARD_START, 1)
    _, tail = rest.split(CARD_END, 1)
    new = f"{head}{CARD_START}\n{body}{CARD_END}{tail}"
    path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> None:
    """``python -m coprod_nlp.cards MODEL_FOLDER [README]``: regenerate a model card's figures."""
    import json
    import sys

    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0])
    readme = Path(args[1]) if len(args) > 1 else folder.parent / "README.md"
    card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
    changed = replace_section(readme, model_card_markdown(card))
    print(f"{readme}: {'updated' if changed else 'already up to date'}")


if __name__ == "__main__":
    main()
