"""The HTML report is a function of the results: it runs no rule's regex, reads no rule file or
configuration, explains the score from what the engine computed, and shows a Markdown letter as
its text (issues 18, rows 9 and 22; 19, points 5 and 7; 20, "a reporter is a function of the
results")."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from test_html_report import Page, finding_texts, html_report, json_report

HOUSE_RULE = """  - id: house-greeting
    kind: existence
    severity: info
    message: "Found {match}."
    description: A house rule.
    phrases: [to whom it may concern]
    examples:
      fail: ["To whom it may concern, we fixed it."]
      pass: ["Dear Seller Performance team, we fixed it."]
"""


def _letter_section(markup: str, number: int = 1) -> str:
    """The markup of one letter's text (after its overview panels)."""
    article = re.search(rf'<article id="letter-{number}".*?</article>', markup, re.S)[0]
    return article[article.index('<section class="body">'):]


# Issue 18 row 9, issue 20: no rule-supplied regex runs outside RE2 ------------------------------
@pytest.mark.parametrize("hostile", ["(a+)+$", "(a|aa)+$"])
def test_hostile_section_alias_cannot_hang_the_html_report(tmp_path, hostile):
    """A backtracking engine takes exponential time on these aliases against a line of 50,000
    "a"s that ends in "b"; before, `--format html` compiled the aliases with Python's `re` and
    re-read the letter with them, and did not finish in 20 s (the text report: 2 s)."""
    rules = tmp_path / "house.yaml"
    rules.write_text(f"section_roles:\n  - role: hostile\n    aliases: ['{hostile}']\nrules:\n{HOUSE_RULE}",
                     "utf-8")
    letter = tmp_path / "letter.txt"
    letter.write_text("a" * 50_000 + "b\n", "utf-8")
    try:
        done = subprocess.run([sys.executable, "-m", "poalint", "check", "--no-cache", "--format", "html",
                               "--exit-zero", "--rules", str(rules), str(letter)],
                              capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("--format html did not finish in 60 s: a rule-supplied regex ran on a backtracking engine")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("<!DOCTYPE html>") and "a" * 1000 in done.stdout


def test_hostile_rule_regex_is_not_run_by_the_html_report(run, letter, tmp_path, monkeypatch):
    """The checklist says where required content was found from the results alone: the reporter
    never searches the letter with a rule's own expressions (here: Python's `re` is forbidden)."""
    import poalint.reporting.formats.html as html_reporter
    import poalint.reporting.formats.html_letter as html_letter

    class NoRegex:
        def __getattr__(self, name):
            raise AssertionError(f"the HTML report called re.{name}: rule regexes run on RE2, in the engine")

    assert not hasattr(html_reporter, "re")  # the page's parts import no regex engine at all
    monkeypatch.setattr(html_letter, "re", NoRegex())  # the letter's text: only its own, compiled patterns
    page = html_report(run, ROOT / "examples" / "good-poa.md")
    status = {a["data-rule"]: a["data-status"] for a in Page(page).find("li") if "data-status" in a}
    assert status["no-specific-facts"] == "present"


# Issue 18 row 22: rule files are read once per run ----------------------------------------------
def test_html_report_reads_each_rule_file_once(run, tmp_path, monkeypatch):
    """Before, the report re-read every rule file (and the configuration) for every letter:
    1,000 letters took 160 s against 7 s for the text report."""
    import poalint.rules.loader as loader

    reads: dict[str, int] = {}
    read_text = loader.read_text

    def counted(path, what):
        if what == "rule file":
            reads[str(path)] = reads.get(str(path), 0) + 1
        return read_text(path, what)

    monkeypatch.setattr(loader, "read_text", counted)
    house = tmp_path / "house.yaml"
    house.write_text(f"rules:\n{HOUSE_RULE}", "utf-8")
    letters = []
    for n in range(20):
        path = tmp_path / f"letter-{n:02}.md"
        path.write_text(f"# Root cause\n\nOur staff listed {n + 2} units without checking the invoice.\n", "utf-8")
        letters.append(path)
    result = run("check", "--format", "html", "--exit-zero", "--no-cache", "--jobs", "1", "--rules", house, *letters)
    assert result.exit_code == 0, result.output
    assert result.output.count('<article id="letter-') == 20
    assert str(house) in reads and len(reads) > 1  # the built-in packs and the house pack were read
    assert max(reads.values()) == 1, {Path(p).name: n for p, n in reads.items() if n > 1}


# Issue 19 point 7: the score is explained in the page itself ------------------------------------
def _deductions(markup: str) -> list[tuple[str, int, float]]:
    table = re.search(r'<table class="deductions">.*?</table>', markup, re.S)
    assert table, "the score panel should list what took points off"
    rows = re.findall(r'<tr><td>(.*?)</td><td class="num">(\d+)</td><td class="num">−([\d.]+)</td></tr>', table[0])
    return [(rule, int(count), float(points)) for rule, count, points in rows]


def test_score_is_explained_in_the_page_and_links_nothing_missing(run):
    path = ROOT / "examples" / "weak-poa.txt"
    markup = html_report(run, path)
    assert "score.md" not in markup and "docs/" not in markup
    score = json_report(run, path)["files"][0]["score"]
    deductions = _deductions(markup)
    assert deductions and 100 - sum(points for _, _, points in deductions) <= score
    explanation = re.search(r'<div class="how-scored">(.*?)</div>', markup, re.S)
    assert explanation, "the page should say how the score was computed"
    text = re.sub(r"<[^>]+>", "", explanation[1])
    assert "starts at 100" in text and f"{score}" in text


def test_score_table_uses_the_weights_of_the_run_not_a_guess(run, letter, tmp_path):
    """Before, the page guessed the weights from the configuration found beside the letter; with
    `--config` elsewhere the guess failed and the table of deductions was left out."""
    elsewhere = tmp_path / "settings"
    elsewhere.mkdir()
    config = elsewhere / "poalint.yaml"
    config.write_text("score:\n  start: 90\n  per_rule:\n    vague-wording: {weight: 7, max: 20}\n", "utf-8")
    path = letter("# Root cause\n\nWe think maybe the listing was wrong, and we will try to do better "
                  "as soon as possible.\n")
    markup = html_report(run, path, extra=("--config", config))
    score = json_report(run, "--config", config, path)["files"][0]["score"]
    deductions = dict((rule, points) for rule, _, points in _deductions(markup))
    assert deductions["vague-wording"] == 20  # 4 findings of 7 points, at most the cap of 20
    assert max(0, 90 - sum(deductions.values())) == score
    assert "starts at 90" in re.sub(r"<[^>]+>", "", markup)


# Issue 19 point 5: a Markdown letter shows as its text ------------------------------------------
MARKDOWN_LETTER = """# Root cause

Our account was suspended. We think **maybe the carrier** was late, and *we will try to* fix it as soon as possible.

## Corrective actions

- We refunded 14 orders on 3 May 2024.
- We will try to be more careful &amp; we \\*promise\\* it <b>never</b> happens.

1. Removed listing B00ABCDEFG.
"""


def test_markdown_letter_is_rendered_with_its_highlights(run, letter):
    path = letter(MARKDOWN_LETTER, name="letter.md")
    markup = html_report(run, path)
    body = _letter_section(markup)
    page = Page(body)
    shown = page.text
    assert "# Root" not in shown and "**" not in shown and "- We refunded" not in shown
    assert re.search(r'<p class="md-h md-h1">Root cause</p>', body)
    assert re.search(r'<p class="md-h md-h2">Corrective actions</p>', body)
    assert re.search(r"<ul>\s*<li>We refunded 14 orders on 3 May 2024\.</li>", body)
    assert re.search(r"<ol>\s*<li>Removed listing B00ABCDEFG\.</li>", body)
    assert re.search(r"<strong>.*?maybe.*?</strong>", body, re.S) and re.search(r"<em>.*?we will try to.*?</em>", body, re.S)
    # An entity and escapes show as the characters they stand for; raw HTML stays text.
    assert " & we *promise* it <b>never</b> happens." in shown
    assert not page.find("b") and not page.find("script")
    # Every span finding is highlighted on exactly its text, and has its note.
    findings = json_report(run, path)["files"][0]["findings"]
    texts = finding_texts(Page(markup))
    spanned = [(n, f) for n, f in enumerate(findings, 1) if f["text"] is not None]
    assert len(spanned) >= 5
    for number, f in spanned:
        assert texts.get(str(number)) == f["text"], (number, f["rule"])
        assert Page(markup).find("li", id=f"f1-{number}")
        assert markup.count(f'href="#f1-{number}"') >= 1


def test_markdown_highlight_across_markup_and_lines_covers_the_words(run, letter):
    """A span that crosses emphasis or a line break is highlighted piece by piece; the pieces hold
    the words of the span, without the markup characters."""
    path = letter("# Root cause\n\nWe will *try* to\nfix it **as soon\nas possible** for the buyers.\n", name="l.md")
    markup = html_report(run, path)
    findings = json_report(run, path)["files"][0]["findings"]
    texts = finding_texts(Page(markup))
    spanned = [(n, f) for n, f in enumerate(findings, 1) if f["text"] is not None]
    assert spanned
    for number, f in spanned:
        words = re.sub(r"[*_]", "", f["text"]).split()
        assert texts.get(str(number), "").split() == words, (number, f["text"])
        assert f'id="r1-{number}"' in markup  # the number after the highlight, linking to the note


def test_plain_text_and_word_letters_still_show_as_written(run, letter):
    path = letter(MARKDOWN_LETTER, name="letter.txt")
    body = _letter_section(html_report(run, path))
    assert "# Root cause" in Page(body).text and "**maybe" in Page(body).text
    assert "<ul>" not in body and "md-h" not in body


def test_markdown_front_matter_and_code_stay_text(run, letter):
    path = letter("---\npoalint:\n  profile: poa\n---\n# Root cause\n\n```\n<script>alert(1)</script>\n```\n\n"
                  "We think it was our fault.\n", name="fm.md")
    markup = html_report(run, path)
    body = _letter_section(markup)
    assert "<script" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "profile: poa" in Page(body).text
