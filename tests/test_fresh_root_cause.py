"""missing-root-cause and weak-root-cause on whole letters from writers who saw neither the rules
nor the corpus (tests/fixtures/fresh/root-cause.yaml to root-cause-36.yaml; sections.yaml to
sections-17.yaml, labelled for all three sections), and the corrective and preventive rules
(actions.yaml to actions-9.yaml; sections.yaml to sections-17.yaml), held to the figures last measured
(docs/quality.md): the letters with a sound section told it is missing or weak, the false alarm
sellers meet most, and the letters without one let pass. Lower the ceilings as the rules improve."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from test_wording_generalisation import linter
from poalint.reading import read_text

FRESH = Path(__file__).parent / "fixtures" / "fresh"
JUDGING = {"missing-root-cause", "weak-root-cause"}
#: (set, half) → (most letters with a cause told it is missing or weak, most letters without one let pass)
CEILINGS = {("root-cause", "tune"): (0, 0), ("root-cause", "unseen"): (1, 2),
            ("root-cause-2", "tune"): (0, 0), ("root-cause-2", "unseen"): (2, 2),
            ("root-cause-3", "tune"): (0, 0), ("root-cause-3", "unseen"): (0, 4),
            ("root-cause-4", "tune"): (0, 0), ("root-cause-4", "unseen"): (2, 3),
            ("root-cause-5", "tune"): (0, 0), ("root-cause-5", "unseen"): (1, 4),
            ("root-cause-6", "tune"): (0, 0), ("root-cause-6", "unseen"): (0, 5),
            ("root-cause-7", "tune"): (0, 0), ("root-cause-7", "unseen"): (1, 3),
            ("root-cause-8", "tune"): (0, 0), ("root-cause-8", "unseen"): (1, 2),
            ("root-cause-9", "tune"): (0, 0), ("root-cause-9", "unseen"): (0, 2),
            ("root-cause-10", "tune"): (0, 0), ("root-cause-10", "unseen"): (0, 0),
            ("root-cause-11", "tune"): (1, 0), ("root-cause-11", "unseen"): (2, 1),
            ("root-cause-12", "tune"): (0, 0), ("root-cause-12", "unseen"): (0, 2),
            ("root-cause-13", "tune"): (0, 0), ("root-cause-13", "unseen"): (2, 1),
            ("root-cause-14", "tune"): (0, 0), ("root-cause-14", "unseen"): (1, 0),
            ("root-cause-15", "tune"): (0, 0), ("root-cause-15", "unseen"): (2, 2),
            ("root-cause-16", "tune"): (0, 2), ("root-cause-16", "unseen"): (1, 1),
            ("root-cause-17", "tune"): (0, 1), ("root-cause-17", "unseen"): (0, 0),
            ("root-cause-18", "tune"): (0, 0), ("root-cause-18", "unseen"): (0, 6),
            ("root-cause-19", "tune"): (0, 1), ("root-cause-19", "unseen"): (4, 1),
            ("root-cause-20", "tune"): (0, 0), ("root-cause-20", "unseen"): (4, 1),
            ("root-cause-21", "tune"): (0, 2), ("root-cause-21", "unseen"): (0, 7),
            ("root-cause-22", "tune"): (0, 0), ("root-cause-22", "unseen"): (0, 1),
            ("root-cause-23", "tune"): (0, 0), ("root-cause-23", "unseen"): (0, 3),
            ("root-cause-24", "tune"): (0, 0), ("root-cause-24", "unseen"): (1, 1),
            ("root-cause-25", "tune"): (0, 0), ("root-cause-25", "unseen"): (0, 6),
            ("root-cause-26", "tune"): (0, 1), ("root-cause-26", "unseen"): (1, 3),
            ("root-cause-27", "tune"): (0, 1), ("root-cause-27", "unseen"): (0, 6),
            ("root-cause-28", "tune"): (0, 1), ("root-cause-28", "unseen"): (1, 1),
            ("root-cause-29", "tune"): (0, 0), ("root-cause-29", "unseen"): (1, 3),
            ("root-cause-30", "tune"): (0, 0), ("root-cause-30", "unseen"): (0, 4),
            ("root-cause-31", "tune"): (0, 0), ("root-cause-31", "unseen"): (0, 2),
            ("root-cause-32", "tune"): (1, 1), ("root-cause-32", "unseen"): (1, 2),
            ("root-cause-33", "tune"): (0, 0), ("root-cause-33", "unseen"): (1, 5),
            ("root-cause-34", "tune"): (0, 1), ("root-cause-34", "unseen"): (0, 4),
            ("root-cause-35", "tune"): (1, 0), ("root-cause-35", "unseen"): (2, 3),
            ("root-cause-36", "tune"): (0, 2), ("root-cause-36", "unseen"): (2, 3),
            ("sections", "tune"): (0, 1), ("sections", "unseen"): (0, 3),
            ("sections-2", "tune"): (0, 1), ("sections-2", "unseen"): (0, 1),
            ("sections-3", "tune"): (0, 1), ("sections-3", "unseen"): (0, 2),
            ("sections-4", "tune"): (0, 1), ("sections-4", "unseen"): (1, 2),
            ("sections-5", "tune"): (0, 1), ("sections-5", "unseen"): (1, 1),
            ("sections-6", "tune"): (1, 0), ("sections-6", "unseen"): (1, 6),
            ("sections-7", "tune"): (0, 0), ("sections-7", "unseen"): (1, 4),
            ("sections-8", "tune"): (0, 1), ("sections-8", "unseen"): (3, 1),
            ("sections-9", "tune"): (0, 0), ("sections-9", "unseen"): (0, 3),
            ("sections-10", "tune"): (0, 0), ("sections-10", "unseen"): (1, 2),
            ("sections-11", "tune"): (0, 2), ("sections-11", "unseen"): (0, 5),
            ("sections-12", "tune"): (0, 1), ("sections-12", "unseen"): (0, 2),
            ("sections-13", "tune"): (0, 0), ("sections-13", "unseen"): (1, 2),
            ("sections-14", "tune"): (0, 0), ("sections-14", "unseen"): (0, 3),
            ("sections-15", "tune"): (0, 3), ("sections-15", "unseen"): (1, 4),
            ("sections-16", "tune"): (0, 1), ("sections-16", "unseen"): (0, 2),
            ("sections-17", "tune"): (0, 0), ("sections-17", "unseen"): (1, 0)}


def half(text: str) -> str:
    return "tune" if int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "unseen"


def judged_present(text: str) -> bool:
    ruleset, lint = linter()
    result = lint.lint(read_text(text, "letter.md", ruleset.roles), "poa")
    return not JUDGING & {f.rule for f in result.findings}


@pytest.mark.parametrize("name, part", CEILINGS)
def test_root_cause_judgement_on_fresh_letters(name, part):
    letters = [letter for letter in yaml.safe_load((FRESH / f"{name}.yaml").read_text("utf-8"))
               if half(letter["text"]) == part]
    assert len(letters) >= 10
    false_alarms = [l["id"] for l in letters if l["has_root_cause"] and not judged_present(l["text"])]
    let_pass = [l["id"] for l in letters if not l["has_root_cause"] and judged_present(l["text"])]
    most_alarms, most_passed = CEILINGS[name, part]
    assert len(false_alarms) <= most_alarms, false_alarms
    assert len(let_pass) <= most_passed, let_pass


#: label → the rules whose finding says the section is missing or inadequate (corrective actions
#: are labelled for steps already done, so future-only-actions counts, as in corpus_quality.py)
SECTION_RULES = {"has_immediate_actions": {"missing-corrective-actions", "weak-corrective-actions", "future-only-actions"},
                 "has_preventive_measures": {"missing-preventive-measures", "weak-preventive-measures"}}
#: (label, half) → (most adequate sections told they are missing or weak, most inadequate ones let pass)
SECTION_CEILINGS = {("actions", "has_immediate_actions", "tune"): (0, 1), ("actions", "has_immediate_actions", "unseen"): (0, 0),
                    ("actions", "has_preventive_measures", "tune"): (0, 0), ("actions", "has_preventive_measures", "unseen"): (0, 0),
                    ("actions-2", "has_immediate_actions", "tune"): (0, 0), ("actions-2", "has_immediate_actions", "unseen"): (0, 1),
                    ("actions-2", "has_preventive_measures", "tune"): (0, 1), ("actions-2", "has_preventive_measures", "unseen"): (0, 0),
                    ("actions-3", "has_immediate_actions", "tune"): (0, 0), ("actions-3", "has_immediate_actions", "unseen"): (0, 1),
                    ("actions-3", "has_preventive_measures", "tune"): (0, 0), ("actions-3", "has_preventive_measures", "unseen"): (0, 0),
                    ("actions-4", "has_immediate_actions", "tune"): (0, 0), ("actions-4", "has_immediate_actions", "unseen"): (0, 1),
                    ("actions-4", "has_preventive_measures", "tune"): (0, 0), ("actions-4", "has_preventive_measures", "unseen"): (0, 5),
                    ("actions-5", "has_immediate_actions", "tune"): (0, 0), ("actions-5", "has_immediate_actions", "unseen"): (0, 1),
                    ("actions-5", "has_preventive_measures", "tune"): (0, 1), ("actions-5", "has_preventive_measures", "unseen"): (0, 1),
                    ("actions-6", "has_immediate_actions", "tune"): (0, 2), ("actions-6", "has_immediate_actions", "unseen"): (0, 3),
                    ("actions-6", "has_preventive_measures", "tune"): (0, 1), ("actions-6", "has_preventive_measures", "unseen"): (0, 2),
                    ("actions-7", "has_immediate_actions", "tune"): (0, 2), ("actions-7", "has_immediate_actions", "unseen"): (0, 2),
                    ("actions-7", "has_preventive_measures", "tune"): (0, 2), ("actions-7", "has_preventive_measures", "unseen"): (0, 0),
                    ("actions-8", "has_immediate_actions", "tune"): (0, 0), ("actions-8", "has_immediate_actions", "unseen"): (0, 0),
                    ("actions-8", "has_preventive_measures", "tune"): (0, 0), ("actions-8", "has_preventive_measures", "unseen"): (0, 0),
                    ("actions-9", "has_immediate_actions", "tune"): (0, 2), ("actions-9", "has_immediate_actions", "unseen"): (0, 1),
                    ("actions-9", "has_preventive_measures", "tune"): (1, 0), ("actions-9", "has_preventive_measures", "unseen"): (0, 5),
                    ("sections", "has_immediate_actions", "tune"): (0, 2), ("sections", "has_immediate_actions", "unseen"): (1, 1),
                    ("sections", "has_preventive_measures", "tune"): (0, 1), ("sections", "has_preventive_measures", "unseen"): (0, 0),
                    ("sections-2", "has_immediate_actions", "tune"): (0, 3), ("sections-2", "has_immediate_actions", "unseen"): (0, 4),
                    ("sections-2", "has_preventive_measures", "tune"): (0, 1), ("sections-2", "has_preventive_measures", "unseen"): (2, 1),
                    ("sections-3", "has_immediate_actions", "tune"): (0, 0), ("sections-3", "has_immediate_actions", "unseen"): (0, 1),
                    ("sections-3", "has_preventive_measures", "tune"): (0, 0), ("sections-3", "has_preventive_measures", "unseen"): (0, 0),
                    ("sections-4", "has_immediate_actions", "tune"): (0, 1), ("sections-4", "has_immediate_actions", "unseen"): (0, 1),
                    ("sections-4", "has_preventive_measures", "tune"): (0, 0), ("sections-4", "has_preventive_measures", "unseen"): (0, 2),
                    ("sections-5", "has_immediate_actions", "tune"): (0, 1), ("sections-5", "has_immediate_actions", "unseen"): (1, 1),
                    ("sections-5", "has_preventive_measures", "tune"): (0, 1), ("sections-5", "has_preventive_measures", "unseen"): (0, 2),
                    ("sections-6", "has_immediate_actions", "tune"): (0, 1), ("sections-6", "has_immediate_actions", "unseen"): (1, 3),
                    ("sections-6", "has_preventive_measures", "tune"): (0, 0), ("sections-6", "has_preventive_measures", "unseen"): (0, 0),
                    ("sections-7", "has_immediate_actions", "tune"): (0, 0), ("sections-7", "has_immediate_actions", "unseen"): (0, 1),
                    ("sections-7", "has_preventive_measures", "tune"): (0, 1), ("sections-7", "has_preventive_measures", "unseen"): (0, 2),
                    ("sections-8", "has_immediate_actions", "tune"): (0, 1), ("sections-8", "has_immediate_actions", "unseen"): (0, 4),
                    ("sections-8", "has_preventive_measures", "tune"): (0, 0), ("sections-8", "has_preventive_measures", "unseen"): (0, 3),
                    ("sections-9", "has_immediate_actions", "tune"): (0, 3), ("sections-9", "has_immediate_actions", "unseen"): (0, 3),
                    ("sections-9", "has_preventive_measures", "tune"): (0, 2), ("sections-9", "has_preventive_measures", "unseen"): (0, 1),
                    ("sections-10", "has_immediate_actions", "tune"): (0, 0), ("sections-10", "has_immediate_actions", "unseen"): (0, 2),
                    ("sections-10", "has_preventive_measures", "tune"): (0, 0), ("sections-10", "has_preventive_measures", "unseen"): (0, 1),
                    ("sections-11", "has_immediate_actions", "tune"): (0, 2), ("sections-11", "has_immediate_actions", "unseen"): (0, 2),
                    ("sections-11", "has_preventive_measures", "tune"): (0, 1), ("sections-11", "has_preventive_measures", "unseen"): (0, 3),
                    ("sections-12", "has_immediate_actions", "tune"): (0, 1), ("sections-12", "has_immediate_actions", "unseen"): (0, 3),
                    ("sections-12", "has_preventive_measures", "tune"): (0, 1), ("sections-12", "has_preventive_measures", "unseen"): (0, 1),
                    ("sections-13", "has_immediate_actions", "tune"): (0, 1), ("sections-13", "has_immediate_actions", "unseen"): (0, 2),
                    ("sections-13", "has_preventive_measures", "tune"): (0, 0), ("sections-13", "has_preventive_measures", "unseen"): (0, 2),
                    ("sections-14", "has_immediate_actions", "tune"): (0, 1), ("sections-14", "has_immediate_actions", "unseen"): (0, 3),
                    ("sections-14", "has_preventive_measures", "tune"): (0, 1), ("sections-14", "has_preventive_measures", "unseen"): (0, 0),
                    ("sections-15", "has_immediate_actions", "tune"): (2, 7), ("sections-15", "has_immediate_actions", "unseen"): (2, 3),
                    ("sections-15", "has_preventive_measures", "tune"): (1, 5), ("sections-15", "has_preventive_measures", "unseen"): (1, 2),
                    ("sections-16", "has_immediate_actions", "tune"): (0, 0), ("sections-16", "has_immediate_actions", "unseen"): (0, 1),
                    ("sections-16", "has_preventive_measures", "tune"): (0, 1), ("sections-16", "has_preventive_measures", "unseen"): (0, 0),
                    ("sections-17", "has_immediate_actions", "tune"): (0, 1), ("sections-17", "has_immediate_actions", "unseen"): (0, 1),
                    ("sections-17", "has_preventive_measures", "tune"): (0, 0), ("sections-17", "has_preventive_measures", "unseen"): (0, 4)}


@pytest.mark.parametrize("name, label, part", SECTION_CEILINGS)
def test_action_and_prevention_judgement_on_fresh_letters(name, label, part):
    ruleset, lint = linter()
    letters = [letter for letter in yaml.safe_load((FRESH / f"{name}.yaml").read_text("utf-8"))
               if half(letter["text"]) == part]
    assert len(letters) >= 10
    judged = {l["id"]: not SECTION_RULES[label] & {f.rule for f in lint.lint(read_text(l["text"], "l.md", ruleset.roles),
                                                                              "poa").findings}
              for l in letters}
    false_alarms = [l["id"] for l in letters if l[label] and not judged[l["id"]]]
    let_pass = [l["id"] for l in letters if not l[label] and judged[l["id"]]]
    most_alarms, most_passed = SECTION_CEILINGS[name, label, part]
    assert len(false_alarms) <= most_alarms, false_alarms
    assert len(let_pass) <= most_passed, let_pass
