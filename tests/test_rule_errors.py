"""Broken rule files and configuration: one line naming file, line and key; exit code 2."""
from __future__ import annotations

import textwrap

import pytest

GOOD_RULE = """\
rules:
  - id: my-rule
    kind: existence
    severity: warning
    message: "Hedge: {match}"
    description: A test rule.
    phrases: [hopefully]
"""


def run_with_rules(run, tmp_path, text: str):
    rules = tmp_path / "house.yaml"
    rules.write_text(textwrap.dedent(text), "utf-8")
    (tmp_path / "letter.md").write_text("Hopefully we refunded.\n", "utf-8")
    return run("check", "--rules", rules, tmp_path / "letter.md"), rules


@pytest.mark.parametrize("change, line, expected", [
    (("    phrases: [hopefully]\n", "    phrases: [hopefully]\n    colour: red\n"), 8, "rules.0.colour: unknown key"),
    (("severity: warning", "severity: loud"), 4, "rules.0.severity: 'loud' is not one of: error, warning, info"),
    (("phrases: [hopefully]", "phrases: hopefully"), 7, "rules.0.phrases: 'hopefully' is not of type 'array'"),
    (("phrases: [hopefully]", "regex: ['(unclosed']"), 7, "rules.0.regex.0: invalid regular expression"),
    (("phrases: [hopefully]", "patterns: [[{LOWER: {NOPE: 1}}]]"), 2, "patterns[0] is not a valid spaCy token pattern"),
    # a wide range of loose optional tokens would make spaCy's matcher hang
    (("phrases: [hopefully]", 'patterns: [[{LOWER: we}, {OP: "{0,30}"}, {LOWER: refunded}]]'), 2,
     'OP "{0,30}" allows more than 16 optional tokens'),
    (("phrases: [hopefully]", "patterns: [[{LOWR: x}]]"), 7, "rules.0.patterns.0.0: 'LOWR' is not one of: ORTH, TEXT"),
    (("phrases: [hopefully]", "patterns: [[{POS: VERB}]]"), 7, "declare requires: [tagger]"),
    (("id: my-rule", "id: My_Rule"), 2, "rules.0.id: 'My_Rule' does not match"),
    (('message: "Hedge: {match}"', 'message: "Hedge: {matched}"'), 2, "unknown placeholder {matched}"),
    (("    phrases: [hopefully]\n", ""), 2, "needs one of phrases, patterns, regex"),
    (("    description: A test rule.\n", ""), 2, "'description' is required"),
    # the wording model's labels are known once the rule is compiled: the rule's own line, as for its patterns
    (("phrases: [hopefully]", "phrases: [hopefully]\n    classifier: {label: nonsense, min_probability: 0.8}"), 2,
     "rule my-rule: classifier: label 'nonsense' is not one of the wording model's: blame-shifting, clean,"),
    (("phrases: [hopefully]", "phrases: [hopefully]\n    classifier: {label: vague-wording, min_probability: 2}"), 8,
     "rules.0.classifier.min_probability: 2 is greater than the maximum of 1"),
    (("phrases: [hopefully]", "phrases: [hopefully]\n    classifier: {label: vague-wording}"), 8,
     "rules.0.classifier: 'min_probability' is required"),
])
def test_broken_rule_file(run, tmp_path, change, line, expected):
    result, rules = run_with_rules(run, tmp_path, GOOD_RULE.replace(*change))
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(f"poalint: error: {rules}:{line}: "), message
    assert expected in message


def test_duplicate_id(run, tmp_path):
    text = GOOD_RULE + GOOD_RULE.split("rules:\n")[1]
    result, rules = run_with_rules(run, tmp_path, text)
    assert result.exit_code == 2
    assert f"{rules}:8: rule my-rule: id: duplicate rule id (first defined at {rules}:2)" in result.stderr


def test_duplicate_of_a_builtin_id(run, tmp_path):
    result, rules = run_with_rules(run, tmp_path, GOOD_RULE.replace("my-rule", "unfilled-placeholder"))
    assert result.exit_code == 2 and "duplicate rule id" in result.stderr


def test_invalid_yaml_names_the_line(run, tmp_path):
    result, rules = run_with_rules(run, tmp_path, GOOD_RULE.replace("    kind: existence", "    kind: [existence"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"poalint: error: {rules}:") and "invalid YAML" in result.stderr


def test_yaml_tags_are_not_constructed(run, tmp_path):
    result, rules = run_with_rules(run, tmp_path, GOOD_RULE.replace(
        "description: A test rule.", "description: !!python/object/apply:os.system ['echo hacked']"))
    assert result.exit_code == 2 and "invalid YAML" in result.stderr
    assert "hacked" not in result.output


def test_unknown_role_in_scope(run, tmp_path):
    result, rules = run_with_rules(run, tmp_path, GOOD_RULE + "    scope: {sections: [apology]}\n")
    assert result.exit_code == 2 and "unknown section role 'apology'" in result.stderr


def test_missing_rules_path(run, tmp_path):
    result = run("check", "--rules", tmp_path / "nope.yaml", "x.md")
    assert result.exit_code == 2 and "nope.yaml: rule file or pack not found" in result.stderr


def test_rule_file_must_be_a_mapping(run, tmp_path):
    result, rules = run_with_rules(run, tmp_path, "- just\n- a list\n")
    assert result.exit_code == 2 and f"{rules}:1: a rule file must be a mapping" in result.stderr


def write_config(tmp_path, text: str):
    (tmp_path / ".poalint.yaml").write_text(textwrap.dedent(text), "utf-8")
    (tmp_path / "letter.md").write_text("Hopefully we refunded.\n", "utf-8")


@pytest.mark.parametrize("config, expected", [
    ("colour: red\n", ".poalint.yaml:1: colour: unknown key"),
    ("fail_on: sometimes\n", ".poalint.yaml:1: fail_on: 'sometimes' is not one of: error, warning, info"),
    ("ignore: [no-such-rule]\n", ".poalint.yaml:1: ignore: unknown rule id 'no-such-rule'"),
    ("rules:\n  no-such-rule: {off: true}\n", ".poalint.yaml:2: rules.no-such-rule: unknown rule id"),
    ("rules:\n  unfilled-placeholder: {bogus: 1}\n", ".poalint.yaml:2: rules.unfilled-placeholder: unknown key"),
    ("profile: [\n", ".poalint.yaml:2: invalid YAML"),
])
def test_broken_config(run, tmp_path, config, expected):
    write_config(tmp_path, config)
    result = run("check", "letter.md")
    assert result.exit_code == 2, result.output
    assert expected in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_rule_on_the_command_line(run, tmp_path):
    (tmp_path / "letter.md").write_text("Hi.\n", "utf-8")
    for option in ("--select", "--ignore"):
        result = run("check", option, "no-such-rule", "letter.md")
        assert result.exit_code == 2 and f"unknown rule id 'no-such-rule' in {option}" in result.stderr
    result = run("explain", "no-such-rule")
    assert result.exit_code == 2 and "unknown rule id 'no-such-rule'" in result.stderr


def test_unknown_model_is_a_clean_error(run, tmp_path):
    (tmp_path / "letter.md").write_text("Hi there.\n", "utf-8")
    result = run("check", "--model", "no_such_pipeline_xyz", "letter.md")
    assert result.exit_code == 2
    assert "spaCy pipeline 'no_such_pipeline_xyz' is not installed" in result.stderr


def test_a_format_spec_that_does_not_fit_is_a_rule_error(run, tmp_path):
    result, rules = run_with_rules(run, tmp_path, GOOD_RULE.replace('"Hedge: {match}"', '"Hedge: {match:.0f}"'))
    assert result.exit_code == 2
    assert f"{rules}:2: rule my-rule: message: cannot format the message" in result.stderr
    assert "internal error" not in result.stderr
