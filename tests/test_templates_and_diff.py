"""Template mode (--template, config `templates:`, --vars) and --diff-base."""
from __future__ import annotations

import shutil
import subprocess
import textwrap

import pytest

from conftest import findings_json

TEMPLATE = textwrap.dedent("""\
    # Plan of Action: {{ seller_name }}

    Dear Seller Performance Team,

    This happened because our packer skipped the invoice check for order {{ order_id }}.
    We refunded the buyer of order {{ order_id }} on 3 May 2024 and closed ASIN {{asin}}.
    Our compliance lead, [NAME], now checks every invoice each Monday.
""")


def test_template_variables_are_not_placeholders_but_other_residue_is(run, letter):
    path = letter(TEMPLATE, "t.md")
    found = findings_json(run("check", "--template", "--select", "unfilled-placeholder", "--format", "json", path))
    assert [f["text"] for f in found] == ["[NAME]"]
    without = findings_json(run("check", "--select", "unfilled-placeholder", "--format", "json", path))
    assert "{{ seller_name }}" in [f["text"] for f in without]


def test_no_finding_points_inside_a_variable(run, letter, tmp_path):
    rules = tmp_path / "acme.yaml"
    rules.write_text(textwrap.dedent("""\
        rules:
          - id: flags-everything
            kind: existence
            severity: warning
            message: "{match}"
            description: Flags every word, to show that variables are never blamed.
            regex: ['\\w+']
    """), "utf-8")
    path = letter(TEMPLATE, "t.md")
    found = findings_json(run("check", "--template", "--rules", rules, "--select", "flags-everything",
                              "--format", "json", path))
    variables = [(m.start(), m.end()) for m in __import__("re").finditer(r"\{\{[^}]*\}\}", TEMPLATE)]
    assert found and all(not (s < f["end"] and f["start"] < e) for f in found for s, e in variables)
    assert "Acme" not in [f["text"] for f in found]


def test_templates_declared_in_config(run, tmp_path):
    (tmp_path / ".poalint.yaml").write_text("templates: [templates/]\n", "utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "odr.md").write_text(TEMPLATE, "utf-8")
    (tmp_path / "letter.md").write_text(TEMPLATE, "utf-8")
    payload = run("check", "--select", "unfilled-placeholder", "--format", "json", "templates", "letter.md")
    import json
    by_file = {f["path"]: [x["text"] for x in f["findings"]] for f in json.loads(payload.stdout)["files"]}
    assert by_file["templates/odr.md"] == ["[NAME]"]
    assert "{{ order_id }}" in by_file["letter.md"]


def test_custom_variable_syntax(run, tmp_path):
    (tmp_path / ".poalint.yaml").write_text(
        "templates: ['*.txt']\ntemplate_variable: '%(?P<name>[a-z_]+)%'\n", "utf-8")
    (tmp_path / "t.txt").write_text("We refunded order %order_id% and {{ other }}.\n", "utf-8")
    found = findings_json(run("check", "--select", "unfilled-placeholder", "--format", "json", "t.txt"))
    assert [f["text"] for f in found] == ["{{ other }}"]


def test_vars_render_the_template_and_lint_the_letter(run, letter, tmp_path):
    path = letter(TEMPLATE.replace("[NAME]", "Dana Whitlow"), "t.md")
    values = tmp_path / "client.yaml"
    values.write_text("seller_name: Larkfield Kitchenware\norder_id: 113-4455667-8899001\nasin: B0DK4TR7QZ\n", "utf-8")
    result = run("check", "--vars", values, "--select", "unfilled-placeholder,no-specific-facts", "--format", "json", path)
    assert result.exit_code == 0 and findings_json(result) == []
    # length rules judge the rendered letter: a long value counts
    values.write_text(f"seller_name: Larkfield\norder_id: 1\nasin: {'word ' * 1600}\n", "utf-8")
    result = run("check", "--vars", values, "--select", "excessive-length", "--format", "json", path)
    assert [f["severity"] for f in findings_json(result)] == ["error"]


def test_vars_errors_name_the_variable(run, letter, tmp_path):
    path = letter(TEMPLATE, "t.md")
    values = tmp_path / "client.yaml"
    values.write_text("seller_name: Larkfield\norder_id: 1\n", "utf-8")
    result = run("check", "--vars", values, path)
    assert result.exit_code == 2 and f"{path}: variable 'asin' has no value in {values}" in result.stderr
    values.write_text("seller_name: Larkfield\norder_id: 1\nasin: B0DK4TR7QZ\nphone: 555\n", "utf-8")
    result = run("check", "--vars", values, path)
    assert result.exit_code == 2 and f"{path}: {values} sets 'phone', which this template never uses" in result.stderr
    assert "could not be linted" in result.stdout
    values.write_text("- a list\n", "utf-8")
    result = run("check", "--vars", values, path)
    assert result.exit_code == 2 and "a vars file must be a mapping" in result.stderr


def test_vars_never_execute_template_code(run, letter, tmp_path):
    path = letter("We refunded {{ __import__('os').system('echo hacked') }} and {{ order_id }}.\n", "t.md")
    values = tmp_path / "v.yaml"
    values.write_text("order_id: 113-4455667-8899001\n", "utf-8")
    result = run("check", "--vars", values, "--select", "unfilled-placeholder", "--format", "json", path)
    assert "\nhacked\n" not in "\n" + result.output  # nothing ran: the text stays as written
    # not a declared variable: still flagged as residue in the rendered letter
    assert [f["text"] for f in findings_json(result)] == ["{{ __import__('os').system('echo hacked') }}"]


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@needs_git
def test_diff_base_reports_only_changed_lines(run, tmp_path):
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "a@example.com")
    git(tmp_path, "config", "user.name", "A")
    old = "Dear team,\n\nWe refunded order {{order_id}}.\n\nWe closed ASIN B0XXXXXXXX.\n"
    (tmp_path / "a.md").write_text(old, "utf-8")
    (tmp_path / "same.md").write_text(old, "utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    (tmp_path / "a.md").write_text(old + "\nWe refunded XXX buyers.\n", "utf-8")
    (tmp_path / "new.md").write_text("We refunded [SELLER NAME].\n", "utf-8")
    args = ["check", "--select", "unfilled-placeholder,too-short", "--format", "json"]
    import json
    full = json.loads(run(*args, "a.md", "same.md", "new.md").stdout)
    diffed = json.loads(run(*args, "--diff-base", "HEAD", "a.md", "same.md", "new.md").stdout)
    texts = {f["path"]: sorted(str(x["text"]) for x in f["findings"]) for f in diffed["files"]}
    assert texts["a.md"] == ["None", "XXX"]  # the new line, and the letter-level finding of a changed letter
    assert texts["same.md"] == []
    assert texts["new.md"] == sorted(str(x["text"]) for f in full["files"] if f["path"] == "new.md"
                                     for x in f["findings"])


@needs_git
def test_diff_base_errors(run, tmp_path):
    (tmp_path / "a.md").write_text("We refunded XXX buyers.\n", "utf-8")
    result = run("check", "--diff-base", "HEAD", "a.md")
    assert result.exit_code == 2 and "needs the letters to be in a git repository" in result.stderr
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "a.md")
    result = run("check", "--diff-base", "no-such-rev", "a.md")
    assert result.exit_code == 2 and "--diff-base no-such-rev" in result.stderr


def test_a_variable_counts_as_a_specific_fact_in_template_mode(run, letter):
    path = letter("Dear team,\n\nWe refunded order {{ order_id }} and closed the listing.\n", "t.md")
    assert findings_json(run("check", "--template", "--select", "no-specific-facts", "--format", "json", path)) == []
    plain = letter("Dear team,\n\nWe refunded the order and closed the listing.\n", "p.md")
    assert len(findings_json(run("check", "--template", "--select", "no-specific-facts", "--format", "json", plain))) == 1


def test_vars_apply_only_to_declared_templates(run, tmp_path):
    (tmp_path / ".poalint.yaml").write_text("templates: [templates/]\n", "utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "odr.md").write_text("We refunded order {{ order_id }} on 3 May 2024.\n", "utf-8")
    (tmp_path / "letter.md").write_text("We refunded order 113-4455667-8899001 on 3 May 2024.\n", "utf-8")
    (tmp_path / "v.yaml").write_text("order_id: 113-4455667-8899001\n", "utf-8")
    result = run("check", "--vars", "v.yaml", "--select", "unfilled-placeholder", ".")
    assert result.exit_code == 0, result.output
    assert "in 2 files checked" in result.stdout
