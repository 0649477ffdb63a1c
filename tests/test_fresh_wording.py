"""Wording rules on sentences from a writer who saw neither the rules nor the corpus
(tests/fixtures/fresh/wording.yaml): the half the rules were tuned on, and the half they were not.

The gap between the halves is the measure of how far a rule's patterns generalise; the floors are
the figures measured when the set was added (docs/quality.md), to be raised as the rules improve.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from test_wording_generalisation import findings

SENTENCES = yaml.safe_load((Path(__file__).parent / "fixtures" / "fresh" / "wording.yaml").read_text("utf-8"))
#: rule → half → (least recall on its flag sentences, most false alarms on its keep sentences)
FLOORS = {
    "blame-shifting": {"tune": (13 / 14, 0), "unseen": (8 / 16, 1)},
    "disputes-notice": {"tune": (17 / 17, 0), "unseen": (4 / 13, 0)},
    "complains-about-amazon": {"tune": (12 / 12, 0), "unseen": (6 / 18, 0)},
    "excuse-as-root-cause": {"tune": (14 / 15, 0), "unseen": (14 / 15, 0)},
}


def half(sentence: str) -> str:
    return "tune" if int(hashlib.sha256(sentence.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "unseen"


@pytest.mark.parametrize("rule, part", [(rule, part) for rule in FLOORS for part in ("tune", "unseen")])
def test_fresh_sentences(rule, part):
    flag = [s for s in SENTENCES[rule]["flag"] if half(s) == part]
    keep = [s for s in SENTENCES[rule]["keep"] if half(s) == part]
    missed = [s for s in flag if not findings(rule, s)]
    alarms = [s for s in keep if findings(rule, s)]
    least_recall, most_alarms = FLOORS[rule][part]
    assert (len(flag) - len(missed)) / len(flag) >= least_recall - 1e-9, missed
    assert len(alarms) <= most_alarms, alarms
