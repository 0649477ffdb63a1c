"""Do blame-shifting, emotional-language and threatening-language generalise beyond the corpus?

Each sentence of tests/fixtures/wording/blame_emotion_threat.yaml is linted alone with the
built-in rules. For every rule, at least 80 % of its `flag` sentences must get a finding from
that rule, and none of its `keep` sentences may. Misses are printed (pytest -s shows them).

    python tests/test_wording_generalisation.py     # prints recall and every miss
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from poalint.config import Config
from poalint.engine import Linter
from poalint.nlp import Pipeline
from poalint.readers import read_text
from poalint.ruleset import load_ruleset

DEV_SET = Path(__file__).parent / "fixtures" / "wording" / "blame_emotion_threat.yaml"
MIN_RECALL = 0.80


def dev_set() -> dict:
    return yaml.safe_load(DEV_SET.read_text("utf-8"))


@lru_cache(maxsize=1)
def linter():
    ruleset = load_ruleset(Config())
    return ruleset, Linter(ruleset, Pipeline.load(None))


def findings(rule_id: str, text: str) -> list[str]:
    ruleset, lint = linter()
    result = lint.lint(read_text(text, "x.md", ruleset.roles), "poa")
    return [f.text for f in result.findings if f.rule == rule_id]


def misses(rule_id: str) -> tuple[list[str], list[tuple[str, list[str]]], int]:
    cases = dev_set()[rule_id]
    missed = [s for s in cases["flag"] if not findings(rule_id, s)]
    wrong = [(s, hits) for s in cases["keep"] if (hits := findings(rule_id, s))]
    return missed, wrong, len(cases["flag"])


RULES = sorted(dev_set())


@pytest.mark.parametrize("rule_id", RULES)
def test_recall_on_flag_sentences(rule_id):
    missed, _, total = misses(rule_id)
    recall = (total - len(missed)) / total
    for sentence in missed:
        print(f"MISS {rule_id}: {sentence}")
    assert recall >= MIN_RECALL, f"{rule_id}: recall {recall:.0%} < {MIN_RECALL:.0%}; missed {missed}"


@pytest.mark.parametrize("rule_id", RULES)
def test_no_findings_on_keep_sentences(rule_id):
    _, wrong, _ = misses(rule_id)
    for sentence, hits in wrong:
        print(f"FALSE {rule_id}: {sentence} -> {hits}")
    assert not wrong, f"{rule_id}: findings on keep sentences: {wrong}"


if __name__ == "__main__":
    for rule_id in RULES:
        missed, wrong, total = misses(rule_id)
        keep_total = len(dev_set()[rule_id]["keep"])
        print(f"{rule_id}: recall {total - len(missed)}/{total} ({(total - len(missed)) / total:.0%}), "
              f"keep clean {keep_total - len(wrong)}/{keep_total}")
        for sentence in missed:
            print(f"  MISS  {sentence}")
        for sentence, hits in wrong:
            print(f"  FALSE {sentence} -> {hits}")
