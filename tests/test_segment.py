"""Sentence segmentation: the Golden Rules and the layouts of policy documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from coprod_nlp.ingest import read_text
from coprod_nlp.segment import segment

GOLDEN = Path(__file__).resolve().parents[2] / "shared" / "eval" / "golden_rules_en.json"


def cut(text: str, nlp) -> list[str]:
    return [s.text for s in segment(read_text(text), nlp)]


@pytest.mark.skipif(not GOLDEN.exists(), reason="the shared Golden Rules file is not beside the project")
def test_golden_rules(nlp):
    cases = json.loads(GOLDEN.read_text(encoding="utf-8"))["cases"]
    doc = read_text("\n\n".join(c["text"] for c in cases))
    got: dict[int, list[str]] = {}
    for s in segment(doc, nlp):
        got.setdefault(s.paragraph, []).append(s.text)
    right = [i for i, c in enumerate(cases) if got.get(i) == c["sentences"]]
    assert len(right) >= 46, [c["text"] for i, c in enumerate(cases) if i not in right]


POLICY_CASES = [
    # abbreviations of titles, Latin, dates and times
    ("Cllr. Patel asked about the survey. Dr. Okafor replied that 340 carers responded.",
     ["Cllr. Patel asked about the survey.", "Dr. Okafor replied that 340 carers responded."]),
    ("Partners, e.g. the council and VCSE, i.e. the voluntary sector, attended. It went well.",
     ["Partners, e.g. the council and VCSE, i.e. the voluntary sector, attended.", "It went well."]),
    ("We fund transport, interpreters etc. The panel meets monthly.",
     ["We fund transport, interpreters etc.", "The panel meets monthly."]),
    ("The group met on 3 Feb. 2024 at 10 a.m. in Room 4. Minutes follow.",
     ["The group met on 3 Feb. 2024 at 10 a.m. in Room 4.", "Minutes follow."]),
    ("See para. 3.2 and p. 12 of the report. Item No. 7 was deferred.",
     ["See para. 3.2 and p. 12 of the report.", "Item No. 7 was deferred."]),
    # numbers, money and percentages
    ("The budget is £1.2m, up 2.5% on 2023/24. Carers receive £20.50 per hour.",
     ["The budget is £1.2m, up 2.5% on 2023/24.", "Carers receive £20.50 per hour."]),
    # numbered paragraphs keep their number
    ("3.2.1. The Board is asked to NOTE the report. It is also asked to APPROVE the terms of reference.",
     ["3.2.1. The Board is asked to NOTE the report.", "It is also asked to APPROVE the terms of reference."]),
    ("12. Residents decide how the fund is spent.", ["12. Residents decide how the fund is spent."]),
    # headings without full stops, bullets and tables are units of their own
    ("4. How carers shaped the pathway\nCarers co-designed the leaflet. Staff agreed it.",
     ["4. How carers shaped the pathway", "Carers co-designed the leaflet.", "Staff agreed it."]),
    ("Our promises:\n• pay people for their time\n• co-chair the board\n- share the budget",
     ["Our promises:", "• pay people for their time", "• co-chair the board", "- share the budget"]),
    ("Indicator\tTarget\tActual\nFFT response rate\t25%\t18%",
     ["Indicator | Target | Actual", "FFT response rate | 25% | 18%"]),
    ("Measure | Q1 | Q2 | RAG\nComplaints closed in 25 days | 71% | 78% | Amber",
     ["Measure | Q1 | Q2 | RAG", "Complaints closed in 25 days | 71% | 78% | Amber"]),
    # line breaks inside a sentence are joined; blank lines always end a sentence
    ("The panel of eleven tenants reviewed\nthe repairs service and reported to\nthe Board in May.",
     ["The panel of eleven tenants reviewed the repairs service and reported to the Board in May."]),
    ("Carers asked for evening sessions\n\nThe Trust agreed", ["Carers asked for evening sessions", "The Trust agreed"]),
    # list items run together, lettered resolutions, quotes and brackets
    ("RESOLVED that: (a) the report be noted; (b) carers co-chair the group.",
     ["RESOLVED that: (a) the report be noted; (b) carers co-chair the group."]),
    ("1) Pay carers 2) Train staff 3) Publish results",
     ["1) Pay carers", "2) Train staff", "3) Publish results"]),
    ('One carer said: "We were listened to at last." The Board thanked her.',
     ['One carer said: "We were listened to at last."', "The Board thanked her."]),
    ("The pilot (run by Peer Voices Ltd.) ended in May. A review follows.",
     ["The pilot (run by Peer Voices Ltd.) ended in May.", "A review follows."]),
    ("Full details are at www.northcalder.nhs.uk/involve. Email involve@nct.nhs.uk. Thank you.",
     ["Full details are at www.northcalder.nhs.uk/involve.", "Email involve@nct.nhs.uk.", "Thank you."]),
    ("Did carers agree? Yes! The Board noted it.", ["Did carers agree?", "Yes!", "The Board noted it."]),
    ("ACTION: JH to circulate the terms of reference by 1 June.",
     ["ACTION: JH to circulate the terms of reference by 1 June."]),
    ("Funding was agreed with the U.K. Government. The U.K. The group met.",
     ["Funding was agreed with the U.K. Government.", "The U.K.", "The group met."]),
]


@pytest.mark.parametrize("text,expected", POLICY_CASES, ids=[c[0][:40] for c in POLICY_CASES])
def test_policy_layouts(nlp, text, expected):
    assert cut(text, nlp) == expected


def test_empty_document(nlp):
    assert segment(read_text(""), nlp) == []
    assert segment(read_text("   \n\n  "), nlp) == []


def test_overlong_run_without_punctuation_is_bounded(nlp):
    words = " ".join(["carers"] * 1000)
    sentences = cut(words, nlp)
    assert len(sentences) == 5 and all(len(s.split()) == 200 for s in sentences)


def test_offsets_point_into_document_text(nlp):
    doc = read_text("Intro line\n\nThe Board met. Carers co-chaired it.\n• Item one\n")
    for s in segment(doc, nlp):
        assert doc.text[s.start:s.end] == s.text


def test_component_via_add_pipe_in_any_pipeline():
    nlp = spacy.blank("en")
    nlp.add_pipe("coprod_sentencizer")  # found through the spacy_factories entry point
    doc = nlp("Cllr. Patel spoke. The U.S. Government agreed. Carers said no.")
    assert [s.text for s in doc.sents] == ["Cllr. Patel spoke.", "The U.S. Government agreed.", "Carers said no."]


def test_unknown_spacy_pipeline_is_a_clear_error():
    from coprod_nlp.errors import CoprodError
    from coprod_nlp.segment import load_nlp

    with pytest.raises(CoprodError, match="not installed"):
        load_nlp("xx_no_such_pipeline")


def test_lemmas_available(nlp):
    doc = nlp("carers were consulted and volunteers co-chaired meetings.")
    assert [t.lemma_ for t in doc][:3] == ["carer", "be", "consult"]
