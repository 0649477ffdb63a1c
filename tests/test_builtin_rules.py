"""Every built-in rule's own fail/pass examples run as tests; a rule without both fails."""
from __future__ import annotations

import pytest

from conftest import ROOT
from poalint.config import Config
from poalint.rules.engine import Linter
from poalint.analysis.pipeline import Pipeline
from poalint.rules.ruleset import load_ruleset
from poalint.rules.selftest import run_examples

RULESET = load_ruleset(Config())


@pytest.fixture(scope="module")
def linter():
    return Linter(RULESET, Pipeline.load(None))


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.id)
def test_rule_examples(linter, rule):
    assert rule.examples.get("fail") and rule.examples.get("pass"), f"{rule.id} needs fail and pass examples"
    results = run_examples(linter, [rule])
    # One result per example: none was left out of the run.
    assert len(results) == len(rule.examples["fail"]) + len(rule.examples["pass"])
    failures = [f"{r.verdict} example {r.index}: {r.detail}" for r in results if not r.ok]
    assert not failures, "\n".join(failures)


def test_every_rule_traces_to_the_domain_and_offers_a_fix():
    for rule in RULESET.rules:
        assert "docs/poa-guide.md#" in rule.description, rule.id  # the anchor is checked in test_docs.py
        assert rule.suggestion, rule.id


def test_rule_reference_is_up_to_date():
    from poalint.rules.reference import markdown

    generated = markdown(RULESET.rules)
    committed = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert committed == generated, "docs/rules.md is stale: run `poalint rules --format markdown > docs/rules.md`"


def test_test_rules_command_passes_on_the_builtin_packs(run):
    result = run("test-rules", "-q")
    assert result.exit_code == 0, result.stdout


def test_shipped_validated_data_is_up_to_date():
    from poalint.rules.pack_cache import SHIPPED, fresh_shipped_index
    from poalint.rules.packs import builtin_rules_dir

    committed = (builtin_rules_dir() / SHIPPED).read_text("utf-8")
    assert committed == fresh_shipped_index(), f"rules/{SHIPPED} is stale: run `python -m poalint.rules.pack_cache`"
