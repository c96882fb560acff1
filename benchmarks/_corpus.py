"""Generate a synthetic corpus of policy-like documents in mixed formats for benchmarks."""

from __future__ import annotations

import random
from pathlib import Path

SUBJECTS = ["The Board", "The Quality Committee", "Carers", "Tenants", "The panel", "Cllr. Ahmed",
            "Dr. Okafor", "Young people", "The ICB", "Residents", "Peer support workers", "The Trust"]
VERBS = ["noted", "agreed", "co-designed", "reviewed", "asked about", "approved", "were consulted on",
         "co-chaired", "received", "challenged", "funded", "published"]
OBJECTS = ["the discharge leaflet", "the repairs contract", "the Q2 finance report (p. 12)",
           "the carers' strategy, e.g. its budget", "the survey results", "the terms of reference",
           "the £1.2m community fund", "the 2.5% efficiency target", "the FFT figures, i.e. 18%",
           "the new pathway at 10 a.m."]


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}."


def paragraphs(rng: random.Random, n: int) -> list[tuple[str, str]]:
    out = []
    for i in range(n):
        if i % 5 == 0:
            out.append(("heading", f"{i // 5 + 1}. {rng.choice(OBJECTS).capitalize()}"))
        out.append(("para", " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))))
    return out


def write_corpus(folder: Path, n_docs: int, seed: int = 0) -> list[Path]:
    """Write ``n_docs`` documents cycling through txt, md, html, pdf and docx; return their paths."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from conftest import make_docx, make_pdf

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n_docs):
        paras = paragraphs(rng, rng.randint(12, 40))
        fmt = ["txt", "md", "html", "pdf", "docx"][i % 5]
        path = folder / f"doc{i:04d}.{fmt}"
        if fmt == "txt":
            path.write_text("\n\n".join(t for _, t in paras), encoding="utf-8")
        elif fmt == "md":
            path.write_text("\n\n".join(("## " + t) if k == "heading" else t for k, t in paras), encoding="utf-8")
        elif fmt == "html":
            body = "".join(f"<h2>{t}</h2>" if k == "heading" else f"<p>{t}</p>" for k, t in paras)
            path.write_text(f"<html><head><title>Doc {i}</title></head><body><nav>Home | About</nav>"
                            f"<main>{body}</main><footer>Footer</footer></body></html>", encoding="utf-8")
        elif fmt == "pdf":
            half = len(paras) // 2
            make_pdf(path, [paras[:half], paras[half:]])
        else:
            make_docx(path, [("heading" if k == "heading" else "para", t) for k, t in paras])
        paths.append(path)
    return paths
