"""Hostile rule files: no code runs, no regular expression can take more than linear time, and
over-sized rule files are refused with errors naming file, line and key (docs/security.md)."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from poalint.regex import MAX_REGEX_LENGTH, RegexError, compile_regex
from poalint.rules.matching.patterns import MAX_PATTERNS_PER_RULE, MAX_RULES_PER_RUN

RULE = """rules:
  - id: hostile
    kind: existence
    severity: error
    message: "Found {{match}}."
    description: A rule written to hurt.
    examples:
      fail: ["x"]
      pass: ["y"]
{extra}"""


def rule_file(tmp_path: Path, extra: str, name: str = "hostile.yaml") -> Path:
    path = tmp_path / name
    path.write_text(RULE.format(extra=extra), "utf-8")
    return path


def error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("poalint: error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


# YAML is loaded safely ----------------------------------------------------------------------
PYTHON_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
    "!!python/name:os.system",
    "!!python/object:poalint.config.Config {{}}",
]


@pytest.mark.parametrize("tag", PYTHON_TAGS)
def test_python_tags_are_refused_in_rule_files(run, letter, tmp_path, tag):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(f"rules:\n  - id: evil\n    kind: existence\n    message: {tag.format(marker=marker)}\n", "utf-8")
    result = run("check", "--no-cache", "--rules", path, letter("We fixed it.\n"))
    assert result.exit_code == 2
    line = error_line(result)
    assert line.startswith(f"poalint: error: {path}:4: invalid YAML: could not determine a constructor for the tag")
    assert "python/" in line
    assert not marker.exists()


@pytest.mark.parametrize("name, body", [
    (".poalint.yaml", "profile: !!python/object/apply:os.system ['touch {marker}']\n"),
    ("vars.yaml", "seller: !!python/object/apply:os.system ['touch {marker}']\n"),
])
def test_python_tags_are_refused_in_configuration_and_vars_files(run, letter, tmp_path, name, body):
    marker = tmp_path / "pwned"
    (tmp_path / name).write_text(body.format(marker=marker), "utf-8")
    args = ("--vars", tmp_path / name) if name == "vars.yaml" else ()
    result = run("check", "--no-cache", *args, letter("Dear {{ seller }},\n"))
    assert result.exit_code == 2
    assert "could not determine a constructor for the tag" in error_line(result)
    assert not marker.exists()


def test_message_placeholders_cannot_reach_python_attributes(run, letter, tmp_path):
    """Messages are str.format templates: attribute and index lookups are refused at load time."""
    for template in ("{match.__class__.__init__.__globals__}", "{match[0]}", "{match.__doc__}"):
        path = tmp_path / "fmt.yaml"
        path.write_text(RULE.format(extra="    phrases: [x]\n").replace("Found {match}.", template), "utf-8")
        result = run("check", "--no-cache", "--rules", path, letter("x\n"))
        assert result.exit_code == 2, template
        assert f"{path}:2: rule hostile: message:" in error_line(result)


# Regular expressions run on RE2 ------------------------------------------------------------
def _timed_check(*args) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "poalint", "check", "--no-cache", *map(str, args)],
                          capture_output=True, text=True, timeout=60)
    return time.perf_counter() - started, done


def test_catastrophic_pattern_runs_in_linear_time(tmp_path):
    """(a+)+$ against 50 KB of "a" then "!" takes exponential time on a backtracking engine.

    `poalint check` pays the same start-up (spaCy, rule loading) on any letter, so the pattern's
    own cost is the difference from a letter of the same size that it cannot start to match."""
    path = rule_file(tmp_path, "    regex: ['(a+)+$']\n")
    hostile, benign, matching = tmp_path / "hostile.txt", tmp_path / "benign.txt", tmp_path / "matching.txt"
    hostile.write_text("a" * 50_000 + "!\n", "utf-8")
    benign.write_text("b" * 50_000 + "!\n", "utf-8")
    matching.write_text("a" * 50_000 + "\n", "utf-8")
    base, done = _timed_check("--rules", path, "--select", "hostile", benign)
    assert done.returncode == 0, done.stderr
    elapsed, done = _timed_check("--rules", path, "--select", "hostile", hostile)
    assert done.returncode == 0, done.stderr  # "$" is the end of the block, and "!" is in the way
    assert elapsed - base < 1.0, f"{elapsed:.2f} s against {base:.2f} s"
    elapsed, done = _timed_check("--rules", path, "--select", "hostile", "--format", "json", matching)
    assert done.returncode == 1 and '"rule": "hostile"' in done.stdout
    assert elapsed - base < 1.0, f"{elapsed:.2f} s against {base:.2f} s"


def test_catastrophic_pattern_in_process(tmp_path):
    from poalint.config import Config
    from poalint.rules.engine import Linter
    from poalint.analysis.pipeline import Pipeline
    from poalint.reading import read_text
    from poalint.rules.ruleset import load_ruleset

    path = rule_file(tmp_path, "    regex: ['(a+)+$', '(x+x+)+y', '(\\w|\\w\\w)*!']\n")
    ruleset = load_ruleset(Config(), (path,), select=("hostile",))
    linter = Linter(ruleset, Pipeline.load(None))
    document = read_text("a" * 50_000 + "!\n", "letter.txt", ruleset.roles)
    started = time.perf_counter()
    linter.lint(document, "poa")
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("pattern, feature", [
    (r"(we) \1", "invalid escape sequence: \\1"),
    (r"we(?= will)", "invalid perl operator: (?="),
    (r"we(?! will)", "invalid perl operator: (?!"),
    (r"(?<=we )will", "invalid perl operator: (?<="),
    (r"(?<!we )will", "invalid perl operator: (?<!"),
    (r"(?>we)", "invalid perl operator: (?>"),
    (r"we++", "bad repetition operator: ++"),
    (r"(?P<w>we) (?P=w)", "invalid perl operator: (?P"),
])
def test_backtracking_only_features_are_refused_naming_file_line_and_key(run, letter, tmp_path, pattern, feature):
    path = rule_file(tmp_path, f"    regex:\n      - 'ok'\n      - '{pattern}'\n")
    result = run("check", "--no-cache", "--rules", path, letter("We will.\n"))
    assert result.exit_code == 2
    line = error_line(result)
    assert line.startswith(f"poalint: error: {path}:12: rules.0.regex.1: invalid regular expression {pattern!r}: "
                           f"{feature}"), line
    assert "need backtracking" in line


def test_inline_flag_groups_and_named_groups_are_supported():
    assert compile_regex(r"\[(?i:your|seller)\b[^\]]*\]").search("[YOUR name]")
    assert compile_regex(r"(?P<name>\w+)").search("café")["name"] == "café"


def test_python_unicode_classes_keep_their_meaning():
    assert compile_regex(r"we\s+will").search("we\u00a0will")  # no-break space, as Word writes it
    assert compile_regex(r"\d+").search("٣").group() == "٣"
    assert [m.group() for m in compile_regex(r"[\w-]+").finditer("x-café naïve")] == ["x-café", "naïve"]
    assert compile_regex("(?i)ÉCOLE").search("école")


def test_escalation_markers_and_section_aliases_are_checked_where_written(run, letter, tmp_path):
    path = tmp_path / "roles.yaml"
    path.write_text("section_roles:\n  - role: apology\n    aliases:\n      - 'sorry'\n      - '(?<!not )sorry'\n", "utf-8")
    result = run("check", "--no-cache", "--rules", path, letter("We fixed it.\n"))
    assert result.exit_code == 2
    assert error_line(result).startswith(f"poalint: error: {path}:5: section_roles.0.aliases.1: invalid regular expression")
    path.write_text("profiles:\n  escalation:\n    detect: ['(?=escalat)']\n", "utf-8")
    result = run("check", "--no-cache", "--rules", path, letter("We fixed it.\n"))
    assert result.exit_code == 2
    assert error_line(result).startswith(f"poalint: error: {path}:3: profiles.escalation.detect.0: invalid regular expression")


def test_template_variable_pattern_runs_on_re2(run, letter, tmp_path):
    (tmp_path / ".poalint.yaml").write_text("template_variable: '(?P<name>\\w+)(?=\\})'\n", "utf-8")
    result = run("check", "--no-cache", "--template", letter("Dear {seller},\n"))
    assert result.exit_code == 2
    assert "template_variable: invalid regular expression: invalid perl operator: (?=" in error_line(result)


# Limits --------------------------------------------------------------------------------------
def test_a_regex_over_the_length_limit_is_refused(run, letter, tmp_path):
    pattern = "a" * (MAX_REGEX_LENGTH + 1)
    path = rule_file(tmp_path, f"    regex: ['{pattern}']\n")
    result = run("check", "--no-cache", "--rules", path, letter("x\n"))
    assert result.exit_code == 2
    line = error_line(result)
    assert line.startswith(f"poalint: error: {path}:10: rules.0.regex.0: invalid regular expression 'aaaa")
    assert line.endswith(f"the regular expression is {MAX_REGEX_LENGTH + 1:,} characters long, over the limit of "
                         f"{MAX_REGEX_LENGTH:,}")
    with pytest.raises(RegexError):
        compile_regex("(" * 2000 + ")" * 2000 + "x" * 1001)


def test_a_regex_too_big_for_re2s_memory_is_refused():
    """RE2 bounds each compiled program (8 MiB); a bigger one is an error, not a slow run."""
    with pytest.raises(RegexError, match="pattern too large"):
        compile_regex(r"\w{500}")
    with pytest.raises(RegexError, match="invalid repetition size"):
        compile_regex(r"(?:a{1000}){1000}")


@pytest.mark.parametrize("key", ["phrases", "regex"])
def test_too_many_patterns_in_a_rule(run, letter, tmp_path, key):
    entries = "".join(f"      - 'w{i}x'\n" for i in range(MAX_PATTERNS_PER_RULE + 1))
    path = rule_file(tmp_path, f"    {key}:\n{entries}")
    result = run("check", "--no-cache", "--rules", path, letter("x\n"))
    assert result.exit_code == 2
    assert error_line(result) == (f"poalint: error: {path}:10: rules.0.{key}: {MAX_PATTERNS_PER_RULE + 1:,} entries, "
                                  f"over the limit of {MAX_PATTERNS_PER_RULE:,} per rule")


def test_too_many_rules_in_a_file(run, letter, tmp_path):
    path = tmp_path / "many.yaml"
    path.write_text("rules:\n" + "  - {}\n" * (MAX_RULES_PER_RUN + 1), "utf-8")
    result = run("check", "--no-cache", "--rules", path, letter("x\n"))
    assert result.exit_code == 2
    assert error_line(result) == (f"poalint: error: {path}:1: rules: {MAX_RULES_PER_RUN + 1:,} rules, over the "
                                  f"limit of {MAX_RULES_PER_RUN:,} per run")


def test_too_many_rules_in_a_run(monkeypatch, tmp_path):
    """Spread over several files, the rule that crosses the limit is named."""
    from poalint.config import Config
    from poalint.errors import PoalintError
    from poalint.rules.ruleset import load_ruleset
    import poalint.rules.ruleset

    monkeypatch.setattr(poalint.rules.ruleset, "MAX_RULES_PER_RUN", 3)
    for n in range(2):
        (tmp_path / f"pack{n}.yaml").write_text("rules:\n" + "".join(
            f"  - {{id: r{n}-{i}, kind: existence, severity: info, message: m, description: d, phrases: [x],"
            f" examples: {{fail: [x], pass: [y]}}}}\n" for i in range(2)), "utf-8")
    with pytest.raises(PoalintError) as caught:
        load_ruleset(Config(), (tmp_path,), builtin=False)
    assert str(caught.value) == f"{tmp_path / 'pack1.yaml'}:3: rule r1-1: more than 3 rules in this run (the limit)"
