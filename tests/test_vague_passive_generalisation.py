"""Generalisation check for vague-wording and passive-evasion.

Each sentence of tests/fixtures/wording/vague_passive.yaml is linted on its own; only the
findings of the rule under test count. `flag` sentences need at least RECALL recall, `keep`
sentences must produce no finding. Run with pytest, or as a script to see the numbers.
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

FIXTURE = Path(__file__).parent / "fixtures" / "wording" / "vague_passive.yaml"
RECALL = 0.80
DATA = yaml.safe_load(FIXTURE.read_text("utf-8"))


@lru_cache(maxsize=1)
def _linter():
    ruleset = load_ruleset(Config())
    return ruleset, Linter(ruleset, Pipeline.load(None))


def findings(rule: str, text: str) -> list[str]:
    ruleset, linter = _linter()
    result = linter.lint(read_text(text, "x.md", ruleset.roles), "poa")
    return [f.text for f in result.findings if f.rule == rule]


def score(rule: str) -> tuple[list[str], list[tuple[str, list[str]]], int, int]:
    flag, keep = DATA[rule].get("flag", []), DATA[rule].get("keep", [])
    misses = [s for s in flag if not findings(rule, s)]
    false = [(s, f) for s in keep if (f := findings(rule, s))]
    return misses, false, len(flag), len(keep)


@pytest.mark.parametrize("rule", sorted(DATA))
def test_generalisation(rule):
    misses, false, n_flag, _ = score(rule)
    for s in misses:
        print(f"MISS {rule}: {s}")
    for s, f in false:
        print(f"FALSE {rule}: {s}  -> {f}")
    recall = (n_flag - len(misses)) / n_flag
    assert recall >= RECALL, f"{rule}: recall {recall:.0%} < {RECALL:.0%}"
    assert not false, f"{rule}: {len(false)} finding(s) on keep sentences"


if __name__ == "__main__":
    for rule in sorted(DATA):
        misses, false, n_flag, n_keep = score(rule)
        for s in misses:
            print(f"MISS  {rule}: {s}")
        for s, f in false:
            print(f"FALSE {rule}: {s}  -> {f}")
        print(f"{rule}: recall {n_flag - len(misses)}/{n_flag} ({(n_flag - len(misses)) / n_flag:.0%}), "
              f"keep findings {len(false)}/{n_keep} (specificity {(n_keep - len(false)) / n_keep:.0%})")
