"""The readiness score: weights from YAML, overridable in the configuration, in every output."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT
from poalint.config import Config
from poalint.errors import PoalintError
from poalint.reporting.findings import Finding, Severity
from poalint.rules.ruleset import load_ruleset
from poalint.reporting.score import ScoreWeights


def finding(rule: str, severity: Severity = Severity.WARNING, start: int = 0) -> Finding:
    return Finding(start, start + 1, 1, start + 1, 1, start + 2, rule, severity, "m")


def test_weights_come_from_the_builtin_yaml():
    weights = load_ruleset(Config()).score
    assert weights.start == 100
    assert weights.per_rule["missing-root-cause"] == 30
    assert weights.per_severity == {"error": 15, "warning": 4, "info": 1}


def test_arithmetic_caps_and_clamping():
    weights = ScoreWeights.from_mappings({"start": 100, "per_severity": {"error": 15, "warning": 4, "info": 1},
                                          "max_per_rule": 12,
                                          "per_rule": {"missing-root-cause": 30, "placeholder": {"weight": 15, "max": 45},
                                                       "encoding": 0}})
    assert weights.score([]) == 100
    assert weights.score([finding("vague", start=i) for i in range(2)]) == 92
    assert weights.score([finding("vague", start=i) for i in range(10)]) == 88  # capped at 12
    assert weights.score([finding("missing-root-cause", Severity.ERROR)]) == 70  # one finding: full weight
    assert weights.score([finding("placeholder", Severity.ERROR, i) for i in range(2)]) == 70
    assert weights.score([finding("placeholder", Severity.ERROR, i) for i in range(9)]) == 55  # own cap
    assert weights.score([finding("encoding", Severity.INFO)]) == 100
    assert weights.score([finding(f"r{i}", Severity.ERROR) for i in range(9)]) == 0  # never below 0
    assert weights.deductions([finding("long", Severity.INFO), finding("encoding", Severity.INFO)]) == {"long": 1.0}
    assert ScoreWeights.from_mappings({"per_severity": {"warning": 2.5}}).score([finding("x")]) == 98  # half up


def test_later_mappings_override_key_by_key():
    weights = ScoreWeights.from_mappings({"per_severity": {"error": 15, "warning": 4}, "per_rule": {"a": 1}},
                                         {"per_severity": {"warning": 9}, "per_rule": {"b": 2}})
    assert weights.per_severity == {"error": 15, "warning": 9, "info": 1}
    assert weights.per_rule == {"a": 1, "b": 2}


def test_json_sarif_and_text_carry_the_score(run):
    path = ROOT / "examples" / "weak-poa.txt"
    good = ROOT / "examples" / "good-poa.md"
    payload = json.loads(run("check", "--format", "json", "--no-cache", path, good).output)
    weak_score, good_score = [f["score"] for f in payload["files"]]
    # The weak example carries an error and a score of warnings; the good one nothing.
    assert weak_score < 20 and good_score == 100
    sarif = json.loads(run("check", "--format", "sarif", "--no-cache", path, good).output)
    assert sarif["runs"][0]["properties"]["scores"] == {str(path): weak_score, str(good): 100}
    text = run("check", "--no-cache", good).output
    assert text.splitlines()[-1] == "poalint: 0 errors, 0 warnings, 0 infos in 1 file checked; score 100/100"
    text = run("check", "-q", "--no-cache", path, good).output
    assert text.splitlines()[-1].endswith(f"; lowest score {weak_score}/100 ({path})")


def test_unreadable_letter_has_no_score(run, tmp_path):
    payload = json.loads(run("check", "--format", "json", tmp_path / "missing.md").stdout)
    assert payload["files"][0]["score"] is None


def test_fail_under(run, letter):
    good = ROOT / "examples" / "good-poa.md"
    assert run("check", "--no-cache", "--fail-under", "100", good).exit_code == 0
    path = letter("We are sorry. We removed the listing for ASIN B0C7MWR4TJ on 3 May 2024.\n" * 3)
    result = run("check", "--no-cache", "--fail-on", "error", "--fail-under", "101", good)
    assert result.exit_code == 2  # out of range: a usage error
    payload = json.loads(run("check", "--format", "json", "--no-cache", path).output)
    score = payload["files"][0]["score"]
    assert 0 < score < 100
    assert run("check", "--no-cache", "--fail-on", "error", "--fail-under", score, path).exit_code in (0, 1)
    below = run("check", "--no-cache", "--fail-under", score + 1, path)
    assert below.exit_code == 1
    assert f"readiness score {score} is under --fail-under {score + 1}" in below.stderr
    assert run("check", "--no-cache", "--exit-zero", "--fail-under", score + 1, path).exit_code == 0


def test_config_overrides_weights_and_the_cache_follows(run, tmp_path):
    text = "We are sorry. We removed the listing for ASIN B0C7MWR4TJ on 3 May 2024.\n" * 3
    plain, weighted = tmp_path / "plain", tmp_path / "weighted"  # configurations are discovered once per folder
    for folder in (plain, weighted):
        folder.mkdir()
        (folder / "letter.md").write_text(text, "utf-8")
    (weighted / ".poalint.yaml").write_text("score:\n  per_severity: {error: 0, warning: 0, info: 0}\n"
                                            "  per_rule: {missing-root-cause: 0, missing-corrective-actions: 0,"
                                            " missing-preventive-measures: 0, no-specific-facts: 0}\n", "utf-8")
    before = json.loads(run("check", "--format", "json", plain / "letter.md").output)["files"][0]
    after = json.loads(run("check", "--format", "json", weighted / "letter.md").output)["files"][0]
    assert before["score"] < 100 and after["score"] == 100
    assert after["findings"] == before["findings"]
    for folder, score in ((plain, before["score"]), (weighted, 100)):  # now from the cache
        assert json.loads(run("check", "--format", "json", folder / "letter.md").output)["files"][0]["score"] == score


@pytest.mark.parametrize("setting, key", [("per_rule: {no-such-rule: 5}", "score.per_rule.no-such-rule"),
                                          ("start: 120", "score.start"),
                                          ("per_severity: {fatal: 3}", "score.per_severity.fatal")])
def test_invalid_score_settings_are_errors(run, tmp_path, setting, key):
    folder = tmp_path / key
    folder.mkdir()
    (folder / "letter.md").write_text("We removed the listing.\n", "utf-8")
    (folder / ".poalint.yaml").write_text(f"score:\n  {setting}\n", "utf-8")
    result = run("check", folder / "letter.md")
    assert result.exit_code == 2
    assert f".poalint.yaml:2: {key}:" in result.stderr


def test_rule_file_may_declare_weights(tmp_path):
    pack = tmp_path / "weights.yaml"
    pack.write_text("score:\n  per_rule: {vague-wording: 7}\n  max_per_rule: 30\n", "utf-8")
    weights = load_ruleset(Config(), (pack,)).score
    assert weights.per_rule["vague-wording"] == 7 and weights.per_rule["missing-root-cause"] == 30
    assert weights.max_per_rule == 30
    pack.write_text("score:\n  per_rule: {vague-wording: -1}\n", "utf-8")
    with pytest.raises(PoalintError):
        load_ruleset(Config(), (pack,))
