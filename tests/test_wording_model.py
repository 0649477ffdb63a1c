"""The wording model behind the wording rules' `classifier:` (poalint.analysis.wording_model,
docs/rule-language.md#classifier): what it adds on real sentences, where it stays silent, and how
a broken model file fails (a bad `classifier:` key: tests/test_rule_errors.py)."""
from __future__ import annotations

import os
import subprocess
import sys

from pathlib import Path

import numpy
import pytest

from poalint.analysis.wording_model import CLEAN, LEAST_WORDS, WordingModel, cue_key, cues, wording_model
from poalint.errors import PoalintError
from poalint.reading import read_text
from test_rule_errors import GOOD_RULE
from test_wording_generalisation import linter

WORDING_RULES = {"vague-wording", "passive-evasion", "blame-shifting", "emotional-language",
                 "threatening-language", "generic-promise", "disputes-notice", "complains-about-amazon"}
#: No phrase pattern of complains-about-amazon matches it: only the model can find the complaint.
COMPLAINT = ("Each time we write to Seller Support we get a pasted paragraph that has nothing to do "
             "with our question.")


def wording_findings(text: str):
    ruleset, lint = linter()
    return [f for f in lint.lint(read_text(text, "x.md", ruleset.roles), "poa").findings if f.rule in WORDING_RULES]


def test_the_model_flags_a_whole_sentence_no_pattern_matches():
    found = [f for f in wording_findings(COMPLAINT) if f.rule == "complains-about-amazon"]
    assert [f.text for f in found] == [COMPLAINT.rstrip(".")]
    assert found[0].message == f"Complains about Amazon's support or process: “{COMPLAINT.rstrip('.')}”."


@pytest.mark.parametrize("sentence", [
    "We have eleven employees and one warehouse in Leeds.",
    "Our parents started the workshop in 1998 and we joined it in 2015.",
    "Seller Support replied on 4 May and asked for the invoices, which we sent the same day.",
])
def test_plain_facts_about_the_business_get_no_wording_finding(sentence):
    assert wording_findings(sentence) == []


def test_a_heading_is_not_read_by_the_model():
    heading = "## " + COMPLAINT.rstrip(".") + "\n\nWe refunded all 14 buyers on 3 May 2024.\n"
    assert not [f for f in wording_findings(heading) if f.rule == "complains-about-amazon"]


def test_a_fragment_is_not_read_by_the_model():
    fragment = "Seller Support, pasted paragraphs."
    assert len(fragment.split()) < LEAST_WORDS
    assert not [f for f in wording_findings(fragment) if f.rule == "complains-about-amazon"]


def test_a_long_sentence_is_shortened_in_the_message():
    sentence = ("Each time we write to Seller Support about the deactivation of our account we get a pasted "
                "paragraph that has nothing to do with our question or with the documents we attached to it.")
    found = [f for f in wording_findings(sentence) if f.rule == "complains-about-amazon"]
    assert len(found) == 1
    assert found[0].text == sentence.rstrip(".")  # the span is the whole sentence
    quoted = found[0].message.split("“")[1].split("”")[0]
    assert quoted.endswith(" …") and len(quoted) <= 122 and sentence.startswith(quoted[:-2])


def test_the_built_in_model_knows_every_label_a_rule_names():
    ruleset, _ = linter()
    named = {r.spec["classifier"]["label"] for r in ruleset.rules if "classifier" in r.spec}
    assert named and named <= set(wording_model().labels)
    assert CLEAN in wording_model().labels


def test_a_file_that_is_not_a_model_is_a_one_line_error(tmp_path):
    path = tmp_path / "wording.npz"
    path.write_bytes(b"not a model")
    with pytest.raises(PoalintError, match=f"{path}: not a wording model"):
        WordingModel.read(path)


def save_model(path, keys, weights) -> None:
    with path.open("wb") as file:
        numpy.savez_compressed(file, labels=numpy.array(["clean", "vague-wording"]), bias=numpy.zeros(2),
                               keys=numpy.array(keys, dtype=numpy.uint64), weights=numpy.zeros(weights))


def test_a_model_whose_arrays_disagree_is_refused(tmp_path):
    path = tmp_path / "wording.npz"
    save_model(path, [cue_key("w we"), cue_key("w will")], (3, 2))
    with pytest.raises(PoalintError, match="arrays disagree in size"):
        WordingModel.read(path)


def test_a_model_whose_keys_are_out_of_order_is_refused(tmp_path):
    path = tmp_path / "wording.npz"
    save_model(path, sorted([cue_key("w we"), cue_key("w will")], reverse=True), (2, 2))
    with pytest.raises(PoalintError, match="keys are not sorted"):
        WordingModel.read(path)


def test_a_tiny_model_weighs_the_cues_it_knows(tmp_path):
    path = tmp_path / "wording.npz"
    keys = sorted(cue_key(cue) for cue in ("w try", "b will try"))
    with path.open("wb") as file:
        numpy.savez_compressed(file, labels=numpy.array(["clean", "vague-wording"]), bias=numpy.array([1.0, 0.0]),
                               keys=numpy.array(keys, dtype=numpy.uint64), weights=numpy.array([[0.0, 40.0]] * 2))
    model = WordingModel.read(path)
    assert model.classify("We will try to ship faster.")[0] == "vague-wording"
    assert model.classify("We shipped every order on 3 May.") == ("clean", pytest.approx(1 / (1 + numpy.exp(-1))))


def test_a_words_class_carries_what_the_model_learnt_to_another_word_of_it(tmp_path):
    # The model learnt "<a third party> failed" from one carrier; a forwarder it never saw
    # shares the cue, a word of no class does not.
    path = tmp_path / "wording.npz"
    with path.open("wb") as file:
        numpy.savez_compressed(file, labels=numpy.array(["clean", "blame-shifting"]), bias=numpy.array([1.0, 0.0]),
                               keys=numpy.array([cue_key("k @third-parties failed")], dtype=numpy.uint64),
                               weights=numpy.array([[0.0, 40.0]]),
                               class_words=numpy.array(["courier", "forwarder"]),
                               class_names=numpy.array(["third-parties", "third-parties"]))
    model = WordingModel.read(path)
    assert model.classify("The forwarder failed to scan our 40 parcels.")[0] == "blame-shifting"
    assert model.classify("The printer failed to print our 40 labels.")[0] == "clean"


def test_the_built_in_model_weighs_a_sentence_as_its_training_read_it():
    # classify() works unit by unit with caches; cues() is what the training script reads.
    model = wording_model()
    sentence = "Our courier failed to scan 40 parcels, so we will probably check them more carefully."
    found = cues(sentence, model.word_class)
    rows = sorted({int(row) for row in model.lookup(list(found)) if row >= 0})
    scores = model.bias + model.weights[rows].sum(axis=0) * next(iter(found.values()))
    best = int(scores.argmax())
    probability = float(numpy.exp(scores[best] - numpy.logaddexp.reduce(scores)))
    assert model.classify(sentence) == (model.labels[best], pytest.approx(probability))
    assert model.word_class["courier"] == "third-parties"


def test_a_users_own_rule_can_use_the_built_in_model(run, tmp_path):
    rules = tmp_path / "house.yaml"
    rules.write_text(GOOD_RULE.replace("    phrases: [hopefully]\n", "    phrases: [hopefully]\n"
                                       "    classifier: {label: complains-about-amazon, min_probability: 0.6}\n"), "utf-8")
    (tmp_path / "letter.md").write_text(f"Dear team,\n\n{COMPLAINT}\n", "utf-8")
    result = run("check", "--rules", rules, "--select", "my-rule", tmp_path / "letter.md")
    assert result.exit_code == 0, result.output  # a warning does not fail the run by default
    assert f"letter.md:3:1: warning my-rule Hedge: {COMPLAINT.rstrip('.')}" in result.output



def test_probabilities_do_not_depend_on_the_processs_hash_seed():
    # A word's cues are a set of strings, whose order follows PYTHONHASHSEED; the sum of their
    # weights, and so the probability, must not (before the rows were summed in order, 2 of these
    # 110 sentences came out differently under seeds 1 and 2).
    script = ("import sys, yaml\nfrom poalint.analysis.wording_model import wording_model\n"
              "for path in sys.argv[1:]:\n"
              "    for sets in yaml.safe_load(open(path, encoding='utf-8')).values():\n"
              "        for s in sets['flag'][:10]: print(repr(wording_model().classify(s)))\n")
    fresh = Path(__file__).parent / "fixtures" / "fresh"
    paths = [str(fresh / f"{name}.yaml") for name in ("wording-3", "wording-4a", "wording-4b", "wording-4c")]
    outputs = {subprocess.run([sys.executable, "-c", script, *paths], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120).stdout for seed in ("1", "2", "3")}
    assert len(outputs) == 1
