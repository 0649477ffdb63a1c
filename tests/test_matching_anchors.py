"""Token patterns are grouped by a word each requires (their anchor), and a group is run only
around the anchor's occurrences: a speed-up that must never change a finding. Compared here
with every pattern unanchored. The texts and findings here are shared with the other matching
equivalence tests (test_matching_windows)."""
from __future__ import annotations


import yaml

import poalint.rules.matching.patterns as matching
from conftest import ROOT
from poalint.config import Config
from poalint.rules.engine import Linter
from poalint.analysis.pipeline import Pipeline
from poalint.reading import read_text
from poalint.rules.ruleset import load_ruleset


def texts() -> list[tuple[str, str]]:
    letters = sorted((ROOT / "tests" / "fixtures" / "heldout" / "letters").iterdir()) + sorted((ROOT / "examples").iterdir())
    found = [(p.name, p.read_text("utf-8")) for p in letters]
    for path in sorted((ROOT / "tests" / "fixtures" / "wording").glob("*.yaml")):
        for rule, cases in yaml.safe_load(path.read_text("utf-8")).items():
            found += [(f"{rule}-{i}.md", s) for i, s in enumerate(cases["flag"] + cases.get("keep", []))]
    return found


def all_findings() -> dict:
    ruleset = load_ruleset(Config())
    linter = Linter(ruleset, Pipeline.load(None))
    return {(name, profile): linter.lint(read_text(text, name, ruleset.roles), profile).findings
            for name, text in texts() for profile in ("poa", "escalation")}


def test_anchors_change_no_finding(monkeypatch):
    anchored = all_findings()
    monkeypatch.setattr(matching, "anchor", lambda pattern: None)
    assert all_findings() == anchored


def test_anchor_picks_a_telling_required_token():
    pattern = [{"LOWER": "we"}, {"LOWER": "will", "OP": "?"}, {"LEMMA": {"IN": ["try", "attempt"]}}, {"LOWER": "to"}]
    assert matching.anchor(pattern) == frozenset({("lemma", "try"), ("lemma", "attempt")})
    assert matching.anchor([{"IS_DIGIT": True}, {"LOWER": {"REGEX": "^x"}}]) is None
    assert matching.anchor([{"LOWER": "maybe", "OP": "?"}]) is None
