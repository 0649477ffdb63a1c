"""Do the wording rules generalise beyond the labelled corpus?

Each sentence of the development sets in tests/fixtures/wording/ (written apart from the corpus,
half of them in non-native English) is linted alone with the built-in rules. For every rule, at
least 80 % of its `flag` sentences must get a finding from that rule, and none of its `keep`
sentences may. The held-out letters in tests/fixtures/heldout/ are measured separately
(benchmarks/corpus_quality.py) and were never used to tune a rule.

    python tests/test_wording_generalisation.py     # prints recall and every miss
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from poalint.config import Config
from poalint.rules.engine import Linter
from poalint.analysis.pipeline import Pipeline
from poalint.reading import read_text
from poalint.rules.ruleset import load_ruleset

DEV_SETS = sorted((Path(__file__).parent / "fixtures" / "wording").glob("*.yaml"))
MIN_RECALL = 0.80


def merged_cases() -> dict[str, dict[str, list[str]]]:
    """Each rule's `flag` and `keep` sentences, from every development set that has them."""
    cases: dict[str, dict[str, list[str]]] = {}
    for path in DEV_SETS:
        for rule, sets in yaml.safe_load(path.read_text("utf-8")).items():
            for kind, sentences in sets.items():
                cases.setdefault(rule, {"flag": [], "keep": []})[kind] += sentences
    return cases


CASES = merged_cases()


@lru_cache(maxsize=1)
def linter():
    ruleset = load_ruleset(Config())
    return ruleset, Linter(ruleset, Pipeline.load(None))


def findings(rule_id: str, text: str) -> list[str]:
    ruleset, lint = linter()
    result = lint.lint(read_text(text, "x.md", ruleset.roles), "poa")
    return [f.text for f in result.findings if f.rule == rule_id]


def misses(rule_id: str) -> tuple[list[str], list[tuple[str, list[str]]], int]:
    cases = CASES[rule_id]
    missed = [s for s in cases["flag"] if not findings(rule_id, s)]
    wrong = [(s, hits) for s in cases.get("keep", []) if (hits := findings(rule_id, s))]
    return missed, wrong, len(cases["flag"])


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_recall_on_flag_sentences(rule_id):
    missed, _, total = misses(rule_id)
    recall = (total - len(missed)) / total
    assert recall >= MIN_RECALL, f"{rule_id}: recall {recall:.0%} < {MIN_RECALL:.0%}; missed {missed}"


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_no_findings_on_keep_sentences(rule_id):
    _, wrong, _ = misses(rule_id)
    assert not wrong, f"{rule_id}: findings on sentences that must stay clean: {wrong}"


if __name__ == "__main__":
    for rule_id in sorted(CASES):
        missed, wrong, total = misses(rule_id)
        print(f"{rule_id}: recall {total - len(missed)}/{total}, {len(wrong)} findings on keep sentences")
        for sentence in missed:
            print(f"  MISS  {sentence}")
        for sentence, hits in wrong:
            print(f"  FALSE {sentence} -> {hits}")
