"""Wording rules on sentences from writers who saw neither the rules nor the corpus
(tests/fixtures/fresh/wording.yaml, and wording-2.yaml written later): the half the rules were
tuned on, and the half they were not. wording-3.yaml was read whole ('all'): it guards against
regressions only. wording-4a/b/c.yaml were never read or tuned on ('all'): they measure.
wording-6a/b.yaml, written as training sentences, wording-7.yaml to wording-13.yaml and wording-16.yaml are split in halves like
the first two sets.

The gap between the halves is the measure of how far a rule's patterns generalise; the floors are
the figures last measured (docs/quality.md), to be raised as the rules improve.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from test_wording_generalisation import findings

FRESH = Path(__file__).parent / "fixtures" / "fresh"
#: set → rule → half → (least recall on its flag sentences, most false alarms on its keep sentences)
FLOORS = {
    "wording": {
        "blame-shifting": {"tune": (13 / 14, 0), "unseen": (9 / 16, 1)},
        "disputes-notice": {"tune": (17 / 17, 0), "unseen": (8 / 13, 0)},
        "complains-about-amazon": {"tune": (12 / 12, 0), "unseen": (14 / 18, 0)},
        "excuse-as-root-cause": {"tune": (14 / 15, 0), "unseen": (14 / 15, 0)},
    },
    "wording-2": {
        "blame-shifting": {"tune": (13 / 13, 0), "unseen": (11 / 12, 1)},
        "disputes-notice": {"tune": (14 / 14, 0), "unseen": (7 / 11, 0)},
        "complains-about-amazon": {"tune": (12 / 12, 0), "unseen": (13 / 13, 0)},
        "excuse-as-root-cause": {"tune": (10 / 11, 0), "unseen": (12 / 14, 2)},
        "vague-wording": {"tune": (9 / 9, 0), "unseen": (16 / 16, 0)},
        "generic-promise": {"tune": (13 / 13, 0), "unseen": (12 / 12, 0)},
        "emotional-language": {"tune": (14 / 14, 0), "unseen": (11 / 11, 0)},
        "passive-evasion": {"tune": (12 / 12, 0), "unseen": (12 / 13, 0)},
    },
    "wording-3": {
        "disputes-notice": {"all": (25 / 25, 0)},
        "complains-about-amazon": {"all": (25 / 25, 0)},
        "blame-shifting": {"all": (22 / 25, 0)},
        "excuse-as-root-cause": {"all": (22 / 25, 0)},
        "passive-evasion": {"all": (22 / 25, 0)},
        "vague-wording": {"all": (25 / 25, 0)},
        "generic-promise": {"all": (25 / 25, 0)},
        "emotional-language": {"all": (25 / 25, 0)},
    },
    # Written as training data, kept as a measure instead: halves as for wording and wording-2.
    "wording-6a": {
        "disputes-notice": {"tune": (19 / 20, 0), "unseen": (17 / 25, 0)},
        "complains-about-amazon": {"tune": (23 / 23, 0), "unseen": (16 / 22, 1)},
    },
    "wording-6b": {
        "blame-shifting": {"tune": (18 / 19, 0), "unseen": (15 / 26, 1)},
        # 21 -> 20 of 25 unseen with the sentence features of 2026-12-07 (sections-10 and -11); unread
        "excuse-as-root-cause": {"tune": (18 / 20, 0), "unseen": (20 / 25, 3)},
    },
    # A seventh set, five rules: halves as for wording and wording-2.
    "wording-7": {
        "disputes-notice": {"tune": (16 / 17, 0), "unseen": (19 / 23, 0)},
        "complains-about-amazon": {"tune": (19 / 19, 0), "unseen": (17 / 21, 0)},
        # 2 -> 3 alarms unseen with the blame classes of wording-16's tune half (2026-12-07); unread
        "blame-shifting": {"tune": (20 / 22, 0), "unseen": (15 / 18, 3)},
        "excuse-as-root-cause": {"tune": (21 / 24, 0), "unseen": (12 / 16, 0)},
        "vague-wording": {"tune": (22 / 22, 0), "unseen": (16 / 18, 0)},
    },
    # Sets 8-13 (2026-12-07): agency prose; plain sellers explaining the cause; promises, threats and
    # pleas in mixed voices; then the weakest rules again in every voice. Halves as above; their tune
    # halves are also training data for the model. Wording-2's blame look-alike alarm is the model's
    # (blame at 0.85 since that retraining: docs/quality.md#the-wording-model).
    "wording-8": {
        "excuse-as-root-cause": {"tune": (8 / 11, 1), "unseen": (12 / 19, 1)},
        "blame-shifting": {"tune": (10 / 15, 1), "unseen": (12 / 15, 1)},
        "disputes-notice": {"tune": (16 / 17, 0), "unseen": (8 / 13, 0)},
        "complains-about-amazon": {"tune": (16 / 17, 0), "unseen": (7 / 13, 0)},
        "vague-wording": {"tune": (12 / 12, 1), "unseen": (14 / 18, 0)},
    },
    "wording-9": {
        "excuse-as-root-cause": {"tune": (9 / 11, 1), "unseen": (12 / 19, 0)},
        "blame-shifting": {"tune": (12 / 14, 0), "unseen": (6 / 16, 1)},
        "disputes-notice": {"tune": (11 / 12, 0), "unseen": (9 / 18, 0)},
        "complains-about-amazon": {"tune": (18 / 18, 0), "unseen": (11 / 12, 1)},
        "passive-evasion": {"tune": (12 / 13, 0), "unseen": (12 / 17, 0)},
    },
    "wording-10": {
        "generic-promise": {"tune": (15 / 17, 3), "unseen": (9 / 13, 0)},
        "vague-wording": {"tune": (14 / 14, 0), "unseen": (15 / 16, 2)},
        "threatening-language": {"tune": (12 / 12, 0), "unseen": (13 / 18, 0)},
        "emotional-language": {"tune": (10 / 10, 0), "unseen": (18 / 20, 0)},
        "passive-evasion": {"tune": (16 / 17, 0), "unseen": (6 / 13, 0)},
    },
    "wording-11": {
        "disputes-notice": {"tune": (15 / 17, 1), "unseen": (15 / 23, 1)},
        "excuse-as-root-cause": {"tune": (20 / 27, 1), "unseen": (9 / 13, 1)},
    },
    "wording-12": {
        "blame-shifting": {"tune": (17 / 24, 0), "unseen": (10 / 16, 2)},
        "vague-wording": {"tune": (15 / 15, 0), "unseen": (22 / 25, 2)},
    },
    "wording-13": {
        "complains-about-amazon": {"tune": (10 / 10, 1), "unseen": (15 / 20, 0)},
        "passive-evasion": {"tune": (8 / 14, 1), "unseen": (7 / 16, 0)},
        "generic-promise": {"tune": (15 / 18, 0), "unseen": (8 / 12, 0)},
    },
    # A sixteenth set, the four rules weakest on the bank, inside long letter sentences: halves as for
    # wording and wording-2; measured on arrival (tune 52/76, unseen 51/84), then tuned on its tune half.
    "wording-16": {
        "disputes-notice": {"tune": (21 / 22, 0), "unseen": (9 / 18, 1)},
        "excuse-as-root-cause": {"tune": (17 / 18, 0), "unseen": (13 / 22, 4)},
        "blame-shifting": {"tune": (19 / 20, 0), "unseen": (11 / 20, 1)},
        "vague-wording": {"tune": (16 / 16, 0), "unseen": (18 / 24, 1)},
    },
    # Untouched: measured before reading, and no rule or model tuned on it.
    # Disputes 29 -> 26 of 40 and a third blame alarm since the model was retrained on sets 6a-13:
    # disputes was raised to 0.9 above a tuning letter's sentence, blame lowered to 0.85 by the
    # cross-validation (docs/quality.md#the-wording-model); nothing was tuned on these sets.
    "wording-4a": {
        "disputes-notice": {"all": (27 / 40, 0)},
        "complains-about-amazon": {"all": (32 / 40, 0)},
        "blame-shifting": {"all": (33 / 40, 3)},  # 2 -> 3 alarms with wording-16's blame classes; unread
    },
    "wording-4b": {
        "excuse-as-root-cause": {"all": (34 / 40, 0)},
        "vague-wording": {"all": (39 / 40, 0)},
        "generic-promise": {"all": (34 / 40, 2)},
    },
    "wording-4c": {
        "emotional-language": {"all": (38 / 40, 0)},
        "threatening-language": {"all": (28 / 40, 1)},
        "passive-evasion": {"all": (32 / 40, 0)},
    },
}


def half(sentence: str) -> str:
    return "tune" if int(hashlib.sha256(sentence.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "unseen"


@pytest.mark.parametrize("name, rule, part", [(name, rule, part) for name, rules in FLOORS.items()
                                              for rule, parts in rules.items() for part in parts])
def test_fresh_sentences(name, rule, part):
    sentences = yaml.safe_load((FRESH / f"{name}.yaml").read_text("utf-8"))[rule]
    flag = [s for s in sentences["flag"] if part in ("all", half(s))]
    keep = [s for s in sentences["keep"] if part in ("all", half(s))]
    missed = [s for s in flag if not findings(rule, s)]
    alarms = [s for s in keep if findings(rule, s)]
    least_recall, most_alarms = FLOORS[name][rule][part]
    assert (len(flag) - len(missed)) / len(flag) >= least_recall - 1e-9, missed
    assert len(alarms) <= most_alarms, alarms


#: (set, half) → (least faults found by their own rule, most wording findings on no marked fault).
#: letters-wording: those were read for the tune half, 4 of its 15 false alarms before tuning; the
#: unseen half's 25th, "a notice of alleged trademark infringement", calls the finding alleged.
#: letters-wording-2 and -3: their tune halves' were read (docs/quality.md).
LETTER_FLOORS = {("letters-wording", "tune"): (40, 11), ("letters-wording", "unseen"): (82, 25),
                 # unseen strays 12 -> 13 and 10 -> 11 with the classes of wording-16's tune half (2026-12-07); unread
                 ("letters-wording-2", "tune"): (28, 4), ("letters-wording-2", "unseen"): (60, 13),
                 ("letters-wording-3", "tune"): (57, 13), ("letters-wording-3", "unseen"): (57, 11)}
WORDING_RULES = {rule for parts in FLOORS.values() for rule in parts}


@pytest.mark.parametrize("name, part", LETTER_FLOORS)
def test_marked_faults_in_whole_letters(name, part):
    """tests/fixtures/fresh/letters-wording*.yaml: 24 letters each in the styles of real drafts (forum
    posts, bullets without full stops, numbered sections, second-language English, escalations),
    each wording fault marked by its writer."""
    from test_wording_generalisation import linter
    from poalint.reading import read_text
    ruleset, lint = linter()
    letters = [l for l in yaml.safe_load((FRESH / f"{name}.yaml").read_text("utf-8")) if half(l["text"]) == part]
    found = stray = 0
    for letter in letters:
        results = [f for f in lint.lint(read_text(letter["text"], "letter.md", ruleset.roles), "poa").findings
                   if f.rule in WORDING_RULES]
        marks = []
        for fault in letter["faults"]:
            start = letter["text"].index(fault["mark"])
            marks.append((start, start + len(fault["mark"])))
            found += any(f.rule == fault["rule"] and f.start < marks[-1][1] and marks[-1][0] < f.end for f in results)
        stray += sum(not any(f.start < end and start < f.end for start, end in marks) for f in results)
    least_found, most_stray = LETTER_FLOORS[name, part]
    assert found >= least_found
    assert stray <= most_stray
