"""The four-head classifier: training, scikit-learn conventions, calibration, explanations,
safe saving and loading, the spaCy component, and evaluation against gold files."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import spacy
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GroupKFold, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from coprod_nlp.dataset import load_corpus, load_gold, without_headings
from coprod_nlp.errors import DataError, ModelError
from coprod_nlp.labels import LEVELS, MODES, NONE, PRINCIPLES, RUNGS
from coprod_nlp.model import CoprodClassifier, load, save


@pytest.fixture(scope="session")
def corpus():
    _, sentences = load_corpus()
    sentences = without_headings(sentences)
    return sentences


@pytest.fixture(scope="session")
def small_train(corpus):
    """About 1,600 training sentences from 50 whole training documents."""
    train = corpus[corpus["split"] == "train"]
    docs = sorted(train["doc_id"].unique())[::3][:50]
    return train[train["doc_id"].isin(docs)].reset_index(drop=True)


@pytest.fixture(scope="session")
def small_test(corpus):
    test = corpus[corpus["split"] == "test"]
    docs = sorted(test["doc_id"].unique())[:12]
    return test[test["doc_id"].isin(docs)].reset_index(drop=True)


@pytest.fixture(scope="session")
def small_model(small_train):
    return CoprodClassifier(calibration_folds=2).fit(small_train["text"].tolist(), small_train)


@pytest.fixture(scope="session")
def saved_model(small_model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("models") / "tiny"
    path = save(small_model, folder, {"note": "test model"})
    return path


def test_predict_shapes_and_consistency(small_model, small_test):
    pred = small_model.predict(small_test["text"].tolist())
    assert list(pred.columns) == ["principles", "rung", "mode", "level"] and len(pred) == len(small_test)
    assert set(pred["rung"]) <= set(RUNGS) and set(pred["mode"]) <= set(MODES) and set(pred["level"]) <= set(LEVELS)
    none = pred["rung"] == NONE
    assert ((pred["mode"] == NONE) == none).all() and ((pred["level"] == NONE) == none).all()
    assert all(set(ps) <= set(PRINCIPLES) for ps in pred["principles"])


def test_learns_something_real(small_model, small_test):
    """Far better than always predicting the commonest rung, on documents it never saw."""
    pred = small_model.predict(small_test["text"].tolist())
    accuracy = (pred["rung"] == small_test["rung"]).mean()
    majority = small_test["rung"].value_counts(normalize=True).iloc[0]
    assert accuracy > majority + 0.1


def test_predict_proba_is_a_distribution(small_model, small_test):
    proba = small_model.predict_proba(small_test["text"].tolist()[:50])
    assert proba["rung"].shape == (50, len(RUNGS)) and proba["principles"].shape == (50, len(PRINCIPLES))
    for head in ("rung", "mode", "level"):
        np.testing.assert_allclose(proba[head].sum(axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(proba["mode"][:, 0], proba["rung"][:, 0])  # P(mode none) = P(rung none)
    assert ((proba["principles"] >= 0) & (proba["principles"] <= 1)).all()


def test_calibration_sanity(small_model, small_test):
    proba = small_model.predict_proba(small_test["text"].tolist())
    observed_none = (small_test["rung"] == NONE).mean()
    assert abs(proba["rung"][:, 0].mean() - observed_none) < 0.12
    confident = proba["rung"].max(axis=1)
    right = proba["rung"].argmax(axis=1) == small_test["rung"].map(RUNGS.index).to_numpy()
    assert right[confident >= 0.7].mean() > right[confident < 0.5].mean()


def test_sklearn_conventions(small_train):
    clf = CoprodClassifier(C=2.0, calibration_folds=2)
    assert clf.get_params()["C"] == 2.0
    assert clone(clf.set_params(C=3.0)).get_params()["C"] == 3.0
    with pytest.raises(NotFittedError):
        clf.predict(["Carers co-chair the board."])
    fitted = clf.fit(small_train["text"].tolist()[:400], small_train.iloc[:400])
    assert fitted is clf and hasattr(clf, "rung_model_")
    with pytest.raises(TypeError, match="single string"):
        clf.predict("Carers co-chair the board.")


def test_pipeline_and_cross_validate(small_train):
    pipe = Pipeline([("tidy", FunctionTransformer(lambda xs: [" ".join(x.split()) for x in xs])),
                     ("clf", CoprodClassifier(calibration_folds=2))])
    result = cross_validate(pipe, small_train["text"].tolist(), small_train, groups=small_train["doc_id"],
                            cv=GroupKFold(n_splits=2))
    assert len(result["test_score"]) == 2 and all(0.2 < s <= 1.0 for s in result["test_score"])


def test_grouped_cross_validation_in_parallel_gives_the_same_figures(small_train):
    from coprod_nlp.train import cross_validate as grouped_cv

    few = small_train[small_train["doc_id"].isin(sorted(small_train["doc_id"].unique())[:24])]
    template = CoprodClassifier(calibration_folds=2, embeddings=None)
    serial = grouped_cv(few, folds=2, classifier=template, n_jobs=1)
    parallel = grouped_cv(few, folds=2, classifier=template, n_jobs=2)
    assert serial == parallel and len(serial["rung.within_one"]["folds"]) == 2


def test_explanations_name_words_and_cues(small_model):
    why = small_model.explain(["Two carers co-chair the Carers Partnership Board and hold voting rights.",
                               "The Trust reported a deficit of £2.1m."])
    assert "rung" in why[0] and why[0]["rung"]
    assert all(name.split(":")[0] in ("word", "chars", "cue", "shape") and weight > 0 for name, weight in why[0]["rung"])
    assert "mode" not in why[1] or small_model.predict(["The Trust reported a deficit of £2.1m."])["rung"][0] != NONE


def test_fit_rejects_bad_labels(small_train):
    bad = small_train.iloc[:50].copy()
    bad.loc[0, "rung"] = "partnership"
    with pytest.raises(DataError, match="unknown rung 'partnership'"):
        CoprodClassifier().fit(bad["text"].tolist(), bad)


# --- saving and loading ------------------------------------------------------------------------


def test_save_and_load_round_trip(saved_model, small_model):
    card = json.loads(saved_model.with_name("card.json").read_text())
    loaded = load(saved_model, sha256=card["sha256"])
    texts = ["Residents decide how the £40,000 fund is spent.", "We ran a survey in March."]
    pd.testing.assert_frame_equal(loaded.classifier.predict(texts), small_model.predict(texts))
    assert loaded.card["versions"]["scikit-learn"] and loaded.card["note"] == "test model"


def test_unknown_model_file_needs_opt_in(saved_model):
    with pytest.raises(ModelError, match="loading a pickle runs code"):
        load(saved_model)
    assert load(saved_model, trust=True).classifier is not None


def test_tampered_model_is_refused(saved_model, tmp_path):
    card = json.loads(saved_model.with_name("card.json").read_text())
    tampered = tmp_path / "model.joblib"
    tampered.write_bytes(saved_model.read_bytes() + b"\x00")
    with pytest.raises(ModelError, match="does not match the expected"):
        load(tampered, sha256=card["sha256"])


def test_shipped_model_is_verified_before_loading(tmp_path, monkeypatch):
    from coprod_nlp import model as model_module

    folder = tmp_path / "coprod-v1"
    folder.mkdir()
    (folder / "model.joblib").write_bytes(b"not the recorded bytes")
    monkeypatch.setattr(model_module, "trusted_checksums", lambda: {"coprod-v1": "0" * 64})
    with pytest.raises(ModelError, match="differs from the recorded checksum"):
        load(folder)


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="no model at"):
        load(tmp_path / "nothing-here")


# --- spaCy component ---------------------------------------------------------------------------


def test_spacy_component_sets_span_extension(saved_model):
    card = json.loads(saved_model.with_name("card.json").read_text())
    nlp = spacy.blank("en")
    nlp.add_pipe("coprod_sentencizer")
    nlp.add_pipe("coprod", config={"model": str(saved_model), "sha256": card["sha256"]})
    doc = nlp("Two carers co-chair the board with voting rights. The deficit is £2m.")
    sents = list(doc.sents)
    assert len(sents) == 2
    for span in sents:
        assert span._.coprod["rung"] in RUNGS
        assert abs(sum(span._.coprod["proba"]["rung"].values()) - 1) < 1e-6
    docs = list(nlp.pipe(["Tenants decide.", "We publish a newsletter. It goes out monthly."]))
    assert [len(list(d.sents)) for d in docs] == [1, 2] and all(s._.coprod for d in docs for s in d.sents)


# --- gold files --------------------------------------------------------------------------------


def test_gold_file_with_unknown_label_is_a_clear_error(tmp_path):
    path = tmp_path / "gold.jsonl"
    rows = [{"text": "We ran a survey.", "principles": [], "rung": "consultation", "mode": "practice", "level": "service"},
            {"text": "Carers lead.", "principles": ["leadership"], "rung": "co_production", "mode": "practice",
             "level": "service"}]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with pytest.raises(DataError, match=r"row 2: unknown principle 'leadership'"):
        load_gold(path)
    from typer.testing import CliRunner

    from coprod_nlp.cli import app

    result = CliRunner().invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 1 and result.stderr.startswith("error:") and "unknown principle" in result.stderr


def test_median_rung_decision_is_the_ladder_median(small_model, small_test):
    texts = small_test["text"].tolist()[:80]
    proba = small_model.predict_proba(texts)
    try:
        small_model.set_params(rung_decision="median")
        median = small_model.predict(texts)["rung"].map(RUNGS.index).to_numpy()
    finally:
        small_model.set_params(rung_decision="argmax")
    cumulative = np.cumsum(proba["rung"], axis=1)
    rows = np.arange(len(texts))
    assert (cumulative[rows, median] >= 0.5).all()
    assert ((median == 0) | (cumulative[rows, np.maximum(median - 1, 0)] < 0.5)).all()


def test_neighbour_weight_leans_to_the_rung_between_two_rivals(small_model, small_test):
    texts = small_test["text"].tolist()[:80]
    proba = small_model.predict_proba(texts)
    torn = {k: v.copy() for k, v in proba.items()}
    torn["rung"][:] = 0.0
    torn["rung"][:, RUNGS.index("engagement")] = 0.45
    torn["rung"][:, RUNGS.index("co_production")] = 0.55
    before = small_model.neighbour_weight
    try:
        small_model.set_params(neighbour_weight=0.0)
        assert set(small_model._decide(torn)["rung"]) == {"co_production"}
        small_model.set_params(neighbour_weight=1.0)
        assert set(small_model._decide(torn)["rung"]) == {"co_design"}
        # weight 1 picks the rung most likely to be within one rung of the truth
        window = proba["rung"].copy()
        window[:, 1:] += proba["rung"][:, :-1]
        window[:, :-1] += proba["rung"][:, 1:]
        chosen = small_model._decide(proba)["rung"].map(RUNGS.index).to_numpy()
        assert np.allclose(window[np.arange(len(texts)), chosen], window.max(axis=1))
    finally:
        small_model.set_params(neighbour_weight=before)


# --- headings --------------------------------------------------------------------------------


def test_training_data_leaves_out_headings():
    from coprod_nlp.train import training_data

    _, sentences = load_corpus()
    train = sentences[sentences["split"] == "train"]
    assert train["is_heading"].sum() > 100  # the corpus does have headings to leave out
    frame = training_data()
    assert len(frame) == int((~train["is_heading"]).sum())
    assert not frame["is_heading"].any()


def test_headings_are_none_by_rule(saved_model):
    from coprod_nlp.ingest import read_text
    from coprod_nlp.tagger import tag

    card = json.loads(saved_model.with_name("card.json").read_text())
    document = read_text("# Co-production with carers\n\nTwo carers co-chair the Carers Partnership Board "
                         "with voting rights.", markdown=True)
    heading, sentence = tag(document, load(saved_model, sha256=card["sha256"]), explain=True)
    assert heading.sentence.kind == "heading" and sentence.sentence.kind == "paragraph"
    assert (heading.rung, heading.mode, heading.level, heading.principles) == (NONE, NONE, NONE, [])
    assert heading.proba["rung"][NONE] == 1.0 and heading.explanation == {"rung": [("rule:section_heading", 1.0)]}
    assert sentence.rung != NONE  # the model, not the rule, tags the sentence under it


def test_principles_on_none_sentences_need_stronger_evidence(small_model):
    """A principle at probability 0.4 is given to an involvement sentence, not to a `none` one."""
    rung = np.zeros((2, len(RUNGS)))
    rung[0, RUNGS.index(NONE)] = 1.0
    rung[1, RUNGS.index("co_production")] = 1.0
    mode, level = np.zeros((2, len(MODES))), np.zeros((2, len(LEVELS)))
    mode[:, 0], level[:, 0] = rung[:, 0], rung[:, 0]
    mode[1, MODES.index("practice")] = level[1, LEVELS.index("service")] = 1.0
    principles = np.full((2, len(PRINCIPLES)), 0.4)
    labels = small_model._decide({"rung": rung, "mode": mode, "level": level, "principles": principles})
    assert labels.loc[0, "principles"] == [] and labels.loc[1, "principles"] == list(PRINCIPLES)
