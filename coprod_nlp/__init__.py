"""coprod-nlp: measure how far co-production is embedded in public-service documents.

>>> import coprod_nlp
>>> scorer = coprod_nlp.load()                       # the shipped, checksum-verified model
>>> result = scorer.score("board_paper.pdf")         # doctest: +SKIP
>>> result.profile, result.to_frame()                # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["load", "Scorer", "DocumentScore", "Profile", "read", "read_text", "segment", "tag", "compare",
           "CoprodClassifier", "__version__"]

_EXPORTS = {
    "load": "scorer", "Scorer": "scorer", "DocumentScore": "scorer", "Profile": "profile",
    "compare": "profile", "read": "ingest", "read_text": "ingest", "segment": "segment", "tag": "tagger",
    "CoprodClassifier": "model",
}


def __getattr__(name: str):
    """Import on first use, so that ``coprod --help`` and ``import coprod_nlp`` stay fast."""
    if name in _EXPORTS:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
