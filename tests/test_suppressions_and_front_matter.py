"""Inline suppression directives and per-letter options in YAML front matter (Markdown letters)."""
from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import KINDS_PACK, findings_json

SELECT = ("--select", "test-existence,test-month,test-substitution")


def lint(run, path, *extra):
    return findings_json(run("check", "--no-cache", "--rules", KINDS_PACK, *SELECT, "--format", "json", *extra, path))


def test_disable_next_line(run, letter):
    path = letter("<!-- poalint-disable-next-line test-existence -- quoting the client -->\n"
                  "Hopefully it works.\n\nHopefully not.\n")
    assert [(f["rule"], f["line"]) for f in lint(run, path)] == [("test-existence", 4)]


def test_disable_and_enable_a_region(run, letter):
    path = letter("<!-- poalint-disable test-existence -->\nHopefully one.\n\nHopefully two.\n"
                  "<!-- poalint-enable -->\n\nHopefully three.\n")
    assert [f["line"] for f in lint(run, path)] == [7]


def test_disable_file_and_inline_comments(run, letter):
    path = letter("We may ship late. <!-- poalint-disable-file test-month -->\n\nWe may ship late again.\n")
    assert lint(run, path) == []


def test_unknown_id_is_a_warning_and_unused_is_info(run, letter):
    path = letter("<!-- poalint-disable-next-line no-such-rule -->\nHopefully.\n\n"
                  "<!-- poalint-disable-next-line test-substitution -->\nNothing to see.\n")
    found = {(f["rule"], f["severity"], f["line"]) for f in lint(run, path)}
    assert found == {("invalid-suppression", "warning", 1), ("test-existence", "warning", 2),
                     ("unused-suppression", "info", 4)}


def test_directives_for_rules_that_did_not_run_are_not_unused(run, letter):
    path = letter("<!-- poalint-disable-next-line unfilled-placeholder -->\nHopefully.\n")
    assert [f["rule"] for f in lint(run, path)] == ["test-existence"]


def test_config_can_require_a_reason(run, tmp_path):
    (tmp_path / ".poalint.yaml").write_text("require_suppression_reason: true\n", "utf-8")
    (tmp_path / "a.md").write_text("<!-- poalint-disable-next-line test-existence -->\nHopefully.\n\n"
                                   "<!-- poalint-disable-next-line test-existence -- client's words -->\n"
                                   "Hopefully.\n", "utf-8")
    found = [(f["rule"], f["line"]) for f in lint(run, tmp_path / "a.md")]
    assert found == [("invalid-suppression", 1)]


def test_directives_are_not_letter_text(run, letter):
    path = letter("<!-- poalint-disable-next-line test-existence -- hopefully as soon as possible -->\nWe refunded.\n")
    assert [f["rule"] for f in lint(run, path)] == ["unused-suppression"]


def test_directives_in_code_are_ignored(run, letter):
    path = letter("```\n<!-- poalint-disable-file test-existence -->\n```\n\nHopefully.\n")
    assert [f["rule"] for f in lint(run, path)] == ["test-existence"]


FRONT = textwrap.dedent("""\
    ---
    title: Draft for Larkfield
    poalint:
      profile: escalation
      ignore: [test-month]
      rules:
        test-metric: {max: {error: 3}}
    ---
    # Plan

    We will try to ship. We may ship late.
""")


def test_front_matter_sets_profile_ignore_and_thresholds(run, letter):
    import json

    path = letter(FRONT)
    result = run("check", "--no-cache", "--rules", KINDS_PACK, "--select", "test-existence,test-month,test-metric",
                 "--format", "json", path)
    (file,) = json.loads(result.stdout)["files"]
    assert file["profile"] == "escalation"
    found = [(f["rule"], f["line"], f["message"]) for f in file["findings"]]
    assert found == [("test-metric", 9, "10 words (max 3)."), ("test-existence", 11, "Hedge: We will try to")]


def test_front_matter_is_not_linted(run, letter):
    path = letter("---\nnote: hopefully we may finish\n---\nWe refunded.\n")
    assert lint(run, path) == []


def test_front_matter_template_flag(run, letter):
    path = letter("---\npoalint: {template: true}\n---\nWe refunded order {{ order_id }}.\n")
    found = findings_json(run("check", "--no-cache", "--select", "unfilled-placeholder", "--format", "json", path))
    assert found == []


def test_front_matter_errors_name_file_line_and_key(run, letter):
    path = letter("---\ntitle: x\npoalint:\n  profile: nope\n---\nHi there.\n")
    result = run("check", "--no-cache", path)
    assert result.exit_code == 2
    assert f"{path}:4: poalint.profile: 'nope' is not one of: auto, poa, escalation" in result.stderr
    path = letter("---\npoalint:\n  ignore: [no-such-rule]\n---\nHi there.\n", "b.md")
    result = run("check", "--no-cache", path)
    assert result.exit_code == 2 and "unknown rule id 'no-such-rule' in the front matter" in result.stderr


def test_letters_that_set_a_rule_alike_share_one_compiled_rule(tmp_path):
    """A rule set by front matter is compiled once per run for every letter setting it alike;
    each letter still gets its own settings, and letters setting nothing get the rule as is."""
    from poalint.run.check import CheckOptions, CheckRun

    body = "# Plan\n\nHopefully we ship. We will try to ship.\n"
    severe = "---\npoalint:\n  rules:\n    test-existence: {severity: error}\n---\n"
    for name, head in (("a.md", severe), ("b.md", severe), ("c.md", ""),
                       ("d.md", severe.replace("error", "info"))):
        (tmp_path / name).write_text(head + body, "utf-8")
    check = CheckRun(CheckOptions(use_cache=False, rules_paths=(KINDS_PACK,), select=("test-existence",)))
    check.lint_all(check.jobs([str(tmp_path)]))
    severities = {Path(r.path).name: {f.severity.label for f in r.findings} for r in check.results}
    assert severities == {"a.md": {"error"}, "b.md": {"error"}, "c.md": {"warning"}, "d.md": {"info"}}
    assert len(check.session._reconfigured) == 2
    assert [len(r.findings) for r in check.results] == [2, 2, 2, 2]
