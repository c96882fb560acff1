"""The keyword baseline: the naive dictionary approach a campaigner would use.

Count "co-produc*", "survey", "consult*" and so on, and take the highest rung whose words
appear. Every evaluation reports it beside the model, so the model's lead over it is visible.
"""

from __future__ import annotations

import re

import pandas as pd

from .labels import NONE, PRINCIPLES

#: Highest rung first: the first rung whose pattern matches wins.
RUNG_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("co_production", r"co-?produc\w*|coproduc\w*|equal partner\w*|co-?chair\w*|user-led|community-led"),
    ("co_design", r"co-?design\w*|co-?creat\w*|design\w* (?:\w+ ){0,3}with"),
    ("engagement", r"involv\w*|engag\w*|panel\w*|forum\w*|advisory|reference group|partnership|have a say"),
    ("consultation", r"consult\w*|survey\w*|questionnaire\w*|feedback|focus group\w*|views|listening"),
    ("informing", r"newsletter\w*|leaflet\w*|inform\w*|publish\w*|update\w*|bulletin\w*|website"),
    ("educating", r"awareness|campaign\w*|educat\w*|self-manag\w*|choose well"),
    ("coercion", r"despite|regardless|without consult\w*|imposed|ignored"),
)
PRINCIPLE_KEYWORDS: dict[str, str] = {
    "assets": r"experts? by experience|lived experience|equal partner\w*|assets?|strengths?",
    "capabilities": r"train\w*|skills?|confidence|capacity|strengths-based",
    "reciprocity": r"paid|payment\w*|vouchers?|expenses|reward\w*|you said,? we did|time credits?",
    "peer_support": r"peer\w*|support groups?|mutual aid|network\w*",
    "blurring_roles": r"co-?chair\w*|interview panel\w*|co-?deliver\w*|lived experience (?:role|lead|worker)\w*",
    "facilitating": r"grants?|community-led|user-led|fund\w*|enabl\w*",
}
RHETORIC = r"\b(?:we (?:value|believe|will|aim|want|are committed)|commit\w*|vision|ambition|heart of|ethos|should)\b"
INDIVIDUAL = r"care plan|support plan|personal (?:health )?budget|direct payment|my care|your care|own care"
STRATEGIC = r"board|strateg\w*|committee|commission\w*|governance|budget|recruit\w*|polic(?:y|ies)|organisation"


class KeywordBaseline:
    """Predict the four heads from keyword lists (no training); ``predict`` returns a DataFrame."""

    def fit(self, X=None, y=None) -> "KeywordBaseline":
        return self

    def predict(self, X) -> pd.DataFrame:
        rows = [self._one(text if isinstance(text, str) else text.text) for text in X]
        return pd.DataFrame(rows, columns=["principles", "rung", "mode", "level"])

    @staticmethod
    def _one(text: str) -> dict:
        lower = text.lower()
        rung = next((r for r, pattern in RUNG_KEYWORDS if re.search(rf"\b(?:{pattern})", lower)), NONE)
        principles = [p for p in PRINCIPLES if re.search(rf"\b(?:{PRINCIPLE_KEYWORDS[p]})", lower)]
        if rung == NONE:
            return {"principles": principles, "rung": NONE, "mode": NONE, "level": NONE}
        mode = "rhetoric" if re.search(RHETORIC, lower) and not re.search(r"\d", lower) else "practice"
        level = ("individual" if re.search(INDIVIDUAL, lower)
                 else "strategic" if re.search(rf"\b(?:{STRATEGIC})", lower) else "service")
        return {"principles": principles, "rung": rung, "mode": mode, "level": level}
