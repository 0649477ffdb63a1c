"""Text output that stays readable and safe: a window of a long line around the span, each
rule's fix once, a line per letter, and outside text (file names, letter text, rule messages)
printed as escapes rather than obeyed."""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from poalint.escaping import printable
from poalint.reporting.findings import FileResult, Finding, Severity
from poalint.reporting.formats import ReportContext, plural, statistics_table, summary_line
from poalint.reporting.formats import text as text_report

FIX = "      = fix: Replace it with the real value"
FINDING = re.compile(r"^\S.*:\d+:\d+: (error|warning|info) ")


@pytest.fixture(autouse=True)
def columns(monkeypatch):
    """Output as wide as an 80-column terminal, whatever runs the tests."""
    monkeypatch.setenv("COLUMNS", "80")


def underlined(source: str, carets: str) -> str:
    """The characters of the shown source line above the carets."""
    start = carets.index("^")
    return source[start:start + carets.count("^")]


def a_paragraph(words: int, middle: str) -> str:
    """One long line of prose, as a pasted .txt letter keeps a paragraph, with `middle` inside."""
    half = " ".join(f"shipment{i} arrived on time" for i in range(words // 8))
    return f"We reviewed {half}, then we refunded order {middle} in full, {half}."


# Issue 19.1: a window of the line, not the whole paragraph.

def test_a_long_line_is_shown_as_a_window_around_the_span(run, letter):
    line = a_paragraph(400, "{{order_id}}")
    result = run("check", "--no-cache", "--select", "unfilled-placeholder", letter(f"Dear team,\n\n{line}\n"))
    lines = result.output.splitlines()
    assert len(line) > 1000
    assert max(len(out) for out in lines[1:3]) <= 80
    source, carets = lines[1], lines[2]
    assert source.startswith("    3 | …") and source.endswith("…")
    assert underlined(source, carets) == "{{order_id}}"


def test_a_span_longer_than_the_window_is_cut_too():
    text = "Intro.\n" + "x" * 50 + "y" * 300 + "z" * 50 + "\n"
    start = text.index("y")
    finding = Finding(start, start + 300, 2, 51, 2, 351, "long-span", Severity.WARNING, "A long span.", text="y" * 300)
    output = text_report.render([FileResult("letter.txt", "poa", findings=(finding,))],
                                ReportContext("0", sources={"letter.txt": text}))
    source, carets = output.splitlines()[1:3]
    assert len(source) <= 80 and len(carets) <= 80
    assert source.endswith("…") and "z" not in source
    assert set(underlined(source, carets)) == {"y"} and len(underlined(source, carets)) > 40


def test_a_short_line_is_shown_whole(run, letter):
    result = run("check", "--no-cache", "--select", "unfilled-placeholder",
                 letter("Dear team,\n\nWe refunded order {{order_id}} on 3 May 2024.\n"))
    assert result.output.splitlines()[1:3] == ["    3 | We refunded order {{order_id}} on 3 May 2024.",
                                               "      |                   ^^^^^^^^^^^^"]


def test_the_weak_example_fits_an_80_column_terminal(run):
    """The issue's case: the bundled pasted .txt letter keeps each paragraph on one line."""
    output = run("check", "--no-cache", ROOT / "examples" / "weak-poa.txt").output
    shown = [line for line in output.splitlines() if line.startswith(("    ", "   1"))]
    assert shown and all(len(line) <= 80 for line in shown if not line.startswith("      = fix:"))


# Issue 19.1: each rule's fix once per letter; once per run with -q.

THREE_PLACEHOLDERS = ("Dear team,\n\nWe refunded order {{order_id}}.\n\nWe wrote to {{buyer}}.\n\n"
                      "We shipped on {{date}}.\n")


def test_a_rules_fix_is_printed_once_per_letter_and_later_findings_point_back(run, letter):
    first = letter(THREE_PLACEHOLDERS, "a.md")
    second = letter(THREE_PLACEHOLDERS, "b.md")
    output = run("check", "--no-cache", "--select", "unfilled-placeholder", first, second).output
    lines = output.splitlines()
    assert sum(line.startswith(FIX) for line in lines) == 2  # once in each letter
    assert lines.count("      = fix: see line 3") == 4  # lines 5 and 7 of each letter


def test_quiet_prints_each_rules_fix_once_per_run_and_no_excerpt(run, letter):
    first = letter(THREE_PLACEHOLDERS, "a.md")
    second = letter(THREE_PLACEHOLDERS, "b.md")
    lines = run("check", "-q", "--no-cache", "--select", "unfilled-placeholder", first, second).output.splitlines()
    assert FINDING.match(lines[0]) and lines[1].startswith(FIX)
    assert [FINDING.match(line) is not None for line in lines[2:7]] == [True] * 5
    assert not any("|" in line or "see line" in line for line in lines)


# Issue 19.1: a line per letter before the summary.

def test_several_letters_get_a_line_each_with_score_and_counts(run):
    weak, good = ROOT / "examples" / "weak-poa.txt", ROOT / "examples" / "good-poa.md"
    files = json.loads(run("check", "--format", "json", weak, good).output)["files"]
    expected = []
    for file in files:
        counts = ", ".join(plural(sum(f["severity"] == s for f in file["findings"]), s) for s in ("error", "warning", "info"))
        expected.append(f"{file['path']}: score {file['score']}/100; {counts}; "
                        f"profile: {file['profile']} ({file['profile_reason']}); "
                        f"reason: {', '.join(file['reasons']) or 'none'} ({file['reason_source']})")
    assert expected[0] != expected[1]
    for flags in ((), ("-q",)):
        lines = run("check", *flags, weak, good).output.splitlines()
        assert lines[-3:-1] == expected
        assert lines[-1].startswith("poalint: ") and lines[-1].endswith(f"lowest score {files[0]['score']}/100 ({weak})")


def test_a_letter_that_could_not_be_linted_has_its_line_too(run, letter, tmp_path):
    lines = run("check", "--no-cache", letter(THREE_PLACEHOLDERS), tmp_path / "missing.md").output.splitlines()
    assert lines[-2] == f"{tmp_path / 'missing.md'}: could not be linted"


def test_one_letter_has_its_profile_line_and_the_summary_line(run, letter):
    path = letter(THREE_PLACEHOLDERS)
    lines = run("check", "--no-cache", "--select", "unfilled-placeholder", path).output.splitlines()
    assert lines[-3] == "" and lines[-2].startswith(f"{path}: profile: poa (detected: ")
    assert lines[-1].startswith("poalint: 3 errors")


# Issue 18 row 17: the shown line is the line the finding's number counts (only "\n" ends one).

@pytest.mark.parametrize("separator", ["\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\r"])
def test_the_quoted_line_is_the_numbered_line_whatever_other_breaks_it_holds(run, letter, separator):
    path = letter(f"Dear team,\n\nFirst part.{separator}We refunded order {{{{order_id}}}} on 3 May 2024.\n", "l.txt")
    output = run("check", "--no-cache", "--select", "unfilled-placeholder", path).output
    assert output.startswith(f"{path}:3:31: error")
    source, carets = output.splitlines()[1:3]
    assert source == f"    3 | First part.{printable(separator)}We refunded order {{{{order_id}}}} on 3 May 2024."
    assert underlined(source, carets) == "{{order_id}}"


# Issue 18 rows 8 and 21: file names, letter text and messages are printed as escapes.

def test_a_file_name_cannot_write_workflow_commands_or_escape_sequences(run, tmp_path):
    name = "a\n::add-mask::secret\n::error file=x::forged\x1b[2J.md"
    (tmp_path / name).write_text(THREE_PLACEHOLDERS, encoding="utf-8")
    (tmp_path / "b.md").write_text(THREE_PLACEHOLDERS, encoding="utf-8")
    for fmt in ("text", "github"):
        output = run("check", "--no-cache", "--format", fmt, "--select", "unfilled-placeholder", tmp_path).output
        summary = output.splitlines()[-1]
        assert "\x1b" not in summary and "\\n::add-mask::secret\\n::error file=x::forged\\x1b[2J.md" in output
        if fmt == "text":
            assert "\x1b" not in output
            assert not any(line.startswith("::") for line in output.splitlines())


def test_control_characters_in_the_letter_are_escaped_and_the_caret_still_fits(run, letter):
    path = letter("Dear team,\n\nWe\x1b[2J refunded\x07 order {{order_id}} today.\n")
    output = run("check", "--no-cache", "--select", "unfilled-placeholder", path).output
    assert "\x1b" not in output and "\x07" not in output
    source, carets = output.splitlines()[1:3]
    assert source == "    3 | We\\x1b[2J refunded\\x07 order {{order_id}} today."
    assert underlined(source, carets) == "{{order_id}}"


def test_a_rule_message_cannot_print_a_fake_finding_line(run, letter, tmp_path):
    pack = tmp_path / "fake.yaml"
    pack.write_text(
        "rules:\n"
        "  - id: fake-line\n"
        "    kind: existence\n"
        "    severity: info\n"
        '    message: "Hedge.\\nletter.md:1:1: error forged-rule Forged.\\x1b[2J"\n'
        "    description: A message with a line break.\n"
        "    phrases: [\"as soon as possible\"]\n"
        "    examples:\n"
        '      fail: ["We ship as soon as possible."]\n'
        '      pass: ["We shipped on 3 May 2024."]\n', encoding="utf-8")
    output = run("check", "--no-cache", "--rules", pack, "--select", "fake-line",
                 letter("Dear team,\n\nWe ship as soon as possible.\n")).output
    assert "\x1b" not in output
    assert [line for line in output.splitlines() if FINDING.match(line)] == [
        f"{tmp_path / 'letter.md'}:3:9: info fake-line Hedge.\\nletter.md:1:1: error forged-rule Forged.\\x1b[2J"]


def test_the_summary_line_and_the_statistics_table_escape_what_they_print():
    finding = Finding(0, 2, 1, 1, 1, 3, "odd\x1b[2Jrule", Severity.ERROR, "m")
    results = [FileResult("x\n::add-mask::y.md", "poa", findings=(finding,), score=10),
               FileResult("b.md", "poa", score=90)]
    assert summary_line(results).endswith("lowest score 10/100 (x\\n::add-mask::y.md)")
    assert statistics_table(results) == "    1  error    odd\\x1b[2Jrule\n"


@settings(max_examples=300, deadline=None)
@given(line=st.text(alphabet=st.sampled_from("ab \t\x1b\u2028é…"), max_size=300), data=st.data(),
       width=st.integers(20, 120))
def test_the_window_fits_and_the_caret_is_under_the_span(line, data, width):
    start = data.draw(st.integers(0, len(line)))
    end = data.draw(st.integers(start, len(line)))
    shown, caret, carets = text_report._window(line, start, end, width)
    whole = "".join(" " if ch == "\t" else printable(ch) for ch in line)
    span = "".join(" " if ch == "\t" else printable(ch) for ch in line[start:end])
    assert len(shown) <= width
    assert shown == whole or len(whole) > width
    if span:
        assert shown[caret:caret + carets] == span[:carets] and carets >= min(len(span), width // 3)
    else:
        assert carets == 1 and caret <= len(shown)
