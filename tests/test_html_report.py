"""`--format html`: a self-contained, escaped, accessible page; checked as text and in headless Chromium."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from poalint.config import Config
from poalint.rules.ruleset import load_ruleset

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed "
                                    "(apt-get install -y chromium); the browser checks need a real browser")
ARTIFACTS = ROOT / "tests" / "artifacts"
REQUIRED = ("missing-root-cause", "missing-corrective-actions", "missing-preventive-measures",
            "no-specific-facts", "missing-senior-review-request")
#: The checklist items of a late-shipment case (rules/reasons/late-shipment.yaml): weak-poa.txt is one.
LATE_SHIPMENT = ("missing-late-shipment-target", "missing-dispatch-fix")


class Page(HTMLParser):
    """A small DOM walk: elements with their attributes, the text inside each <mark>, headings."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.marks: list[tuple[dict, str]] = []
        self.headings: list[str] = []
        self._open_mark: dict | None = None
        self._mark_text: list[str] = []
        self._text: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag == "mark":
            self._open_mark, self._mark_text = attrs, []
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(tag)

    def handle_endtag(self, tag):
        if tag == "mark" and self._open_mark is not None:
            self.marks.append((self._open_mark, "".join(self._mark_text)))
            self._open_mark = None

    def handle_data(self, data):
        self._text.append(data)
        if self._open_mark is not None:
            self._mark_text.append(data)

    @property
    def text(self) -> str:
        return "".join(self._text)

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.elements if t == tag and all(a.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())]


def html_report(run, *paths, extra=()) -> str:
    result = run("check", "--format", "html", "--exit-zero", "--no-cache", *extra, *paths)
    assert result.exit_code == 0, result.output
    return result.output


def json_report(run, *paths) -> dict:
    return json.loads(run("check", "--format", "json", "--exit-zero", "--no-cache", *paths).output)


def finding_texts(page: Page) -> dict[str, str]:
    """Finding number → the highlighted text of its span (its marks joined in document order)."""
    texts: dict[str, str] = {}
    for attrs, text in page.marks:
        for number in attrs.get("data-findings", "").split():
            texts[number] = texts.get(number, "") + text
    return texts


# The page as text -----------------------------------------------------------------------------
def test_letter_markup_is_escaped(run, letter):
    path = letter("We are sorry. <script>alert('poa')</script> and <img src=x onerror=alert(1)> "
                  "and [ORDER ID] \"quoted\" & more.\n", name="<b>evil&.md")
    page = html_report(run, path)
    assert "<script" not in page.lower() and "<img" not in page.lower() and "<b>evil" not in page
    assert "&lt;script&gt;alert(&#x27;poa&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;evil&amp;.md" in page
    parsed = Page(page)
    assert not parsed.find("script") and not parsed.find("img") and not parsed.find("b")
    assert "<script>alert('poa')</script>" in parsed.text  # shown as the letter's text


def test_page_is_self_contained(run):
    page = html_report(run, ROOT / "examples" / "weak-poa.txt")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    for needle in ("http://", "https://", "<script", "<link", "@import", "url(", "src=", "@font-face"):
        assert needle not in page, needle
    assert "default-src 'none'" in page  # the page may load nothing, even if edited


def test_checklist_present_weak_missing_and_not_applicable(run):
    weak_markup = html_report(run, ROOT / "examples" / "weak-poa.txt")
    weak = Page(weak_markup)
    status = {a["data-rule"]: a["data-status"] for a in weak.find("li") if "data-rule" in a and "data-status" in a}
    # Its three sections have headings with content, and weak-* reports each: weak, not present.
    # Its case's own items are there too, and no other case's.
    assert status == {"missing-root-cause": "weak", "missing-corrective-actions": "weak",
                      "missing-preventive-measures": "weak", "no-specific-facts": "missing",
                      "missing-senior-review-request": "skipped",
                      "missing-late-shipment-target": "missing", "missing-dispatch-fix": "present"}
    assert re.search(r'data-rule="missing-late-shipment-target" data-status="missing">(?:(?!</li>).)*'
                     r"Late shipment rate against the 4% target", weak_markup)
    # A weak line gives the weak finding's message and links to it.
    assert re.search(r'data-rule="missing-root-cause" data-status="weak">(?:(?!</li>).)*Weak root cause: '
                     r'(?:(?!</li>).)*href="#f1-\d+"', weak_markup)
    good_markup = html_report(run, ROOT / "examples" / "good-poa.md")
    good = Page(good_markup)
    status = {a["data-rule"]: a["data-status"] for a in good.find("li") if "data-status" in a}
    assert [status[r] for r in REQUIRED] == ["present"] * 4 + ["skipped"]
    assert status["missing-supply-chain-evidence"] == "present"  # an inauthentic-items case with its invoices
    assert not set(LATE_SHIPMENT) & status.keys()
    # Found items point at their section's heading; the facts have no section (and the page runs
    # no rule's expressions to look for them).
    assert re.search(r'data-rule="missing-root-cause" data-status="present">.*?href="#L1-\d+"', good_markup)
    assert re.search(r'data-rule="no-specific-facts" data-status="present">(?:(?!</li>).)*</strong>\. '
                     r"Found in the letter's text\.</li>", good_markup)
    escalation = Page(html_report(run, ROOT / "examples" / "escalation.md"))
    status = {a["data-rule"]: a["data-status"] for a in escalation.find("li") if "data-status" in a}
    assert status["missing-senior-review-request"] == "present"


def test_switched_off_rule_is_not_listed(run):
    """The checklist comes from the rules of the run (their `checklist:`): a rule switched off
    declares nothing, and the page claims nothing about what it would have found."""
    page = Page(html_report(run, ROOT / "examples" / "weak-poa.txt", extra=("--ignore", "no-specific-facts")))
    listed = {a["data-rule"] for a in page.find("li") if "data-status" in a}
    assert listed == set(REQUIRED + LATE_SHIPMENT) - {"no-specific-facts"}


def test_every_span_finding_is_highlighted_with_its_note(run):
    path = ROOT / "examples" / "weak-poa.txt"
    page = Page(html_report(run, path))
    findings = json_report(run, path)["files"][0]["findings"]
    texts = finding_texts(page)
    for number, f in enumerate(findings, 1):
        assert page.find("li", id=f"f1-{number}"), f  # its note, with message and fix
        if f["text"] is not None:
            assert texts[str(number)] == f["text"], f
    assert page.find("p", class_="score-value")[0]["data-score"] == str(json_report(run, path)["files"][0]["score"])


def test_several_letters_have_a_table_of_contents(run):
    paths = [ROOT / "examples" / name for name in ("weak-poa.txt", "good-poa.md", "escalation.md")]
    markup = html_report(run, *paths)
    page = Page(markup)
    assert page.find("nav")
    assert [a["href"] for a in page.find("a") if a.get("href", "").startswith("#letter-")] == \
        ["#letter-1", "#letter-2", "#letter-3"]
    assert [a["id"] for a in page.find("article")] == ["letter-1", "letter-2", "letter-3"]
    assert len({a["id"] for _, a in page.elements if "id" in a}) == sum(1 for _, a in page.elements if "id" in a)
    single = Page(html_report(run, paths[0]))
    assert not single.find("nav")


def test_report_file_and_unreadable_letter(run, tmp_path):
    out = tmp_path / "report.html"
    result = run("check", "--format", "html", "--output", out, "--no-cache", ROOT / "examples" / "good-poa.md",
                 tmp_path / "missing.md")
    assert result.exit_code == 2
    page = out.read_text("utf-8")
    assert "could not be linted: no such file" in page and "score 100" in page


# Colours -------------------------------------------------------------------------------------
def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_of_every_colour_pair_in_the_css(run):
    page = html_report(run, ROOT / "examples" / "weak-poa.txt")
    css = re.search(r"<style>(.*?)</style>", page, re.S)[1]
    variables = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;", css))
    pairs = {name[:-3] for name in variables if name.endswith("-fg")}
    assert {"error", "warning", "info", "page", "error-badge", "present", "missing", "weak"} <= pairs
    for name in pairs:
        ratio = contrast(variables[f"{name}-fg"], variables[f"{name}-bg"])
        assert ratio >= 4.5, f"{name}: {ratio:.2f}"
    # The highlights use these pairs for their text, and muted text and links stand on the page.
    for severity in ("error", "warning", "info"):
        assert re.search(rf"mark\.sev-{severity} \{{ color: var\(--{severity}-fg\); background: var\(--{severity}-bg\);", css)
    for name in ("muted", "link"):
        assert contrast(variables[f"{name}-fg"], variables["page-bg"]) >= 4.5
        assert contrast(variables[f"{name}-fg"], variables["panel-bg"]) >= 4.5  # notes, panels


def test_contrast_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


# In a real browser ----------------------------------------------------------------------------
def _chromium(*args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=120)


def _browser_letter() -> Path:
    corpus_letter = CORPUS / "letters" / "dev-010.md"
    return corpus_letter if corpus_letter.is_file() else ROOT / "examples" / "weak-poa.txt"


@needs_chromium
def test_browser_renders_highlights_and_checklist(run, tmp_path):
    path = _browser_letter()
    report = tmp_path / "report.html"
    result = run("check", "--format", "html", "--output", report, "--exit-zero", "--no-cache", path)
    assert result.exit_code == 0, result.output
    reported = json_report(run, path)["files"][0]
    findings = reported["findings"]
    # The letter's own case adds its items (rules/reasons): those with a checklist label.
    case_items = {rule.id for rule in load_ruleset(Config()).rules if rule.checklist and rule.reason in reported["reasons"]}

    dumped = _chromium("--dump-dom", report.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = Page(dumped.stdout)
    assert dom.find("html", lang="en")
    assert dom.headings[0] == "h1" and "h2" in dom.headings and "h3" in dom.headings
    levels = [int(h[1]) for h in dom.headings]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels  # no skipped heading level
    assert not dom.find("script")

    texts = finding_texts(dom)
    spanned = [(n, f) for n, f in enumerate(findings, 1) if f["text"] is not None]
    assert spanned, "the letter should have span findings to highlight"
    for number, f in spanned:
        assert texts.get(str(number)) == f["text"], (number, f["rule"])
        assert dom.find("li", id=f"f1-{number}")
    for severity in {f["severity"] for _, f in spanned}:
        assert any(f"sev-{severity}" in a.get("class", "") for a, _ in dom.marks)

    items = {a["data-rule"]: a["data-status"] for a in dom.find("li") if "data-status" in a}
    assert set(items) == set(REQUIRED) | case_items
    missing = {f["rule"] for f in findings} & set(items)
    assert {r for r, s in items.items() if s == "missing"} == missing

    ARTIFACTS.mkdir(exist_ok=True)
    for target in (tmp_path / "report.png", ARTIFACTS / "html-report.png"):
        shot = _chromium("--hide-scrollbars", "--window-size=1280,2000", f"--screenshot={target}", report.as_uri())
        assert shot.returncode == 0, shot.stderr[-2000:]
        data = target.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


@needs_chromium
def test_browser_shows_script_as_text(run, letter, tmp_path):
    path = letter("Our staff wrote <script>document.title='pwned'</script> in the listing on 3 May 2024.\n")
    report = tmp_path / "report.html"
    run("check", "--format", "html", "--output", report, "--exit-zero", "--no-cache", path)
    dumped = _chromium("--dump-dom", report.as_uri())
    dom = Page(dumped.stdout)
    assert not dom.find("script")
    assert "<script>document.title='pwned'</script>" in dom.text
    assert "pwned" not in re.search(r"<title>(.*?)</title>", dumped.stdout, re.S)[1]
