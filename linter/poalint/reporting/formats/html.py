"""HTML: one self-contained page (inline CSS; no script, font, image or any other request) per run.

For each letter: the readiness score, what took points off and how, the required-content
checklist, the metrics, and the letter (a Markdown letter rendered as its text, others as
written) with each finding's span highlighted by severity and its message and fix beside it.
Several letters get a table of contents. Everything that comes from a letter (its text, its path,
messages that quote it) is escaped. The page is made from the results and the run's rules alone:
it reads no rule file or configuration and runs no rule's expression. See docs/html-report.md.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from poalint.reporting.findings import Severity
from poalint.reading import EXTENSIONS
from poalint.reporting.formats import html_markdown, plural, summary

#: Colours as (foreground, background) pairs; every pair has a WCAG contrast ratio of at least
#: 4.5:1 (tests/test_html_report.py computes it from the rendered CSS).
PALETTE = {
    "page": ("#1f2328", "#ffffff"),
    "muted": ("#57606a", "#ffffff"),
    "link": ("#0b57d0", "#ffffff"),
    "panel": ("#1f2328", "#f6f8fa"),
    "error": ("#6b0f0f", "#ffd7d5"),
    "warning": ("#4d3800", "#ffeaa8"),
    "info": ("#0b3a6b", "#d9e9ff"),
    "error-badge": ("#ffffff", "#b3261e"),
    "warning-badge": ("#ffffff", "#7a5200"),
    "info-badge": ("#ffffff", "#1f5fa8"),
    "present": ("#0f5323", "#dcf5e3"),
    "missing": ("#6b0f0f", "#ffd7d5"),
    "skipped": ("#3d444d", "#eaeef2"),
}

#: The required-content checklist: (rule that reports the absence, label, section role).
CHECKLIST = (
    ("missing-root-cause", "Root cause", "root-cause"),
    ("missing-corrective-actions", "Corrective actions already taken", "corrective"),
    ("missing-preventive-measures", "Preventive measures", "preventive"),
    ("no-specific-facts", "Specific facts (ASINs, order IDs, dates, counts)", None),
    ("missing-senior-review-request", "Request for a senior review (escalations)", None),
)

_READABILITY_NAMES = {
    "automated_readability_index": "Automated Readability Index (US grade)",
    "flesch_kincaid_grade": "Flesch–Kincaid grade",
    "flesch_reading_ease": "Flesch reading ease",
    "gunning_fog": "Gunning fog index",
    "smog_index": "SMOG index",
    "coleman_liau_index": "Coleman–Liau index",
    "dale_chall_readability_score": "Dale–Chall score",
}
_NOT_HTML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_BLANK_LINES = re.compile(r"\n(?:[ \t\r\f\v]*\n)+")


def esc(text) -> str:
    """Text (from a letter, a path, a message) as inert HTML: markup characters escaped, and
    characters HTML cannot carry replaced."""
    return html.escape(_NOT_HTML.sub("\ufffd", str(text)), quote=True)


def _css() -> str:
    colours = "\n".join(f"  --{name}-fg: {fg};\n  --{name}-bg: {bg};" for name, (fg, bg) in PALETTE.items())
    return f""":root {{
{colours}
  --rule: #d0d7de;
}}
* {{ box-sizing: border-box; }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ margin: 0 auto; max-width: 78rem; padding: 1.5rem; color: var(--page-fg); background: var(--page-bg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }}
a {{ color: var(--link-fg); }}
h1 {{ font-size: 1.6rem; margin: 0 0 .25rem; }}
h2 {{ font-size: 1.35rem; margin: 2rem 0 .75rem; overflow-wrap: anywhere; }}
h3 {{ font-size: 1.1rem; margin: 1.25rem 0 .5rem; }}
.muted {{ color: var(--muted-fg); }}
nav ol {{ padding-left: 1.5rem; }}
article {{ border-top: 3px solid var(--rule); margin-top: 2rem; }}
.overview {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(17rem, 1fr)); gap: 1rem; }}
.panel {{ color: var(--panel-fg); background: var(--panel-bg); border: 1px solid var(--rule); border-radius: 6px;
  padding: .75rem 1rem; }}
.panel h3 {{ margin-top: 0; }}
.score-value {{ font-size: 2.4rem; font-weight: 700; line-height: 1.1; }}
.bar {{ height: .6rem; background: var(--skipped-bg); border: 1px solid var(--rule); border-radius: 3px; margin: .4rem 0; }}
.bar span {{ display: block; height: 100%; background: var(--page-fg); }}
table {{ border-collapse: collapse; width: 100%; font-size: .9rem; }}
th, td {{ text-align: left; padding: .2rem .4rem; border-bottom: 1px solid var(--rule); vertical-align: top; }}
td.num, th.num {{ text-align: right; }}
.checklist {{ list-style: none; margin: 0; padding: 0; }}
.checklist li {{ margin: 0 0 .5rem; padding: .35rem .5rem; border-radius: 4px; }}
.checklist .status {{ font-weight: 700; }}
.check-present {{ color: var(--present-fg); background: var(--present-bg); }}
.check-missing {{ color: var(--missing-fg); background: var(--missing-bg); }}
.check-skipped {{ color: var(--skipped-fg); background: var(--skipped-bg); }}
.check-present a, .check-missing a, .check-skipped a {{ color: inherit; }}
table.metrics th {{ font-weight: 600; width: 45%; }}
.row {{ display: grid; grid-template-columns: 3.5rem minmax(0, 1fr) minmax(15rem, 24rem); gap: 0 1rem;
  padding: .5rem 0; border-top: 1px solid var(--rule); }}
.ln {{ color: var(--muted-fg); font-size: .8rem; text-align: right; padding-top: .2rem; }}
.text {{ margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.7;
  font-family: ui-serif, Georgia, Cambria, "Times New Roman", serif; font-size: 1.02rem; }}
.text.md {{ white-space: normal; }}
.text.md > :first-child {{ margin-top: 0; }}
.text.md p, .text.md ul, .text.md ol, .text.md blockquote, .text.md pre, .text.md table {{ margin: 0 0 .5rem; }}
.text.md blockquote {{ border-left: 3px solid var(--rule); padding-left: .75rem; margin-left: 0; }}
.text.md pre {{ white-space: pre-wrap; font: .9rem/1.5 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }}
.md-h {{ font-family: system-ui, sans-serif; font-weight: 700; font-size: 1.05rem; }}
.md-h1 {{ font-size: 1.3rem; }}
.md-h2 {{ font-size: 1.15rem; }}
.md-link {{ text-decoration: underline; }}
mark.hl {{ padding: .05em 0; border-radius: 2px; }}
mark.sev-error {{ color: var(--error-fg); background: var(--error-bg); border-bottom: 2px solid var(--error-badge-bg); }}
mark.sev-warning {{ color: var(--warning-fg); background: var(--warning-bg); border-bottom: 2px dashed var(--warning-badge-bg); }}
mark.sev-info {{ color: var(--info-fg); background: var(--info-bg); border-bottom: 2px dotted var(--info-badge-bg); }}
a.ref {{ font: 700 .7rem/1 system-ui, sans-serif; vertical-align: super; text-decoration: none; padding: 0 .2em;
  border-radius: 3px; margin-left: 1px; }}
.badge, a.ref {{ white-space: nowrap; }}
.badge {{ display: inline-block; font-size: .75rem; font-weight: 700; text-transform: uppercase; letter-spacing: .03em;
  padding: 0 .35em; border-radius: 3px; }}
.sev-error .badge, a.ref.sev-error {{ color: var(--error-badge-fg); background: var(--error-badge-bg); }}
.sev-warning .badge, a.ref.sev-warning {{ color: var(--warning-badge-fg); background: var(--warning-badge-bg); }}
.sev-info .badge, a.ref.sev-info {{ color: var(--info-badge-fg); background: var(--info-badge-bg); }}
.notes {{ list-style: none; margin: 0; padding: 0; font-size: .9rem; }}
.note {{ margin: 0 0 .6rem; padding: .4rem .6rem; border-left: 4px solid var(--rule); background: var(--panel-bg);
  color: var(--panel-fg); break-inside: avoid; }}
.note.sev-error {{ border-left-color: var(--error-badge-bg); }}
.note.sev-warning {{ border-left-color: var(--warning-badge-bg); }}
.note.sev-info {{ border-left-color: var(--info-badge-bg); }}
.note p {{ margin: .2rem 0 0; }}
.note .where {{ color: var(--muted-fg); font-size: .8rem; }}
.note .fix::before {{ content: "Fix: "; font-weight: 700; }}
.whole-letter {{ margin-bottom: 1rem; }}
.legend span {{ margin-right: .75rem; }}
@media (max-width: 60rem) {{
  .row {{ grid-template-columns: minmax(0, 1fr); }}
  .ln {{ text-align: left; }}
}}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 10pt; }}
  .row {{ grid-template-columns: 2.5rem minmax(0, 1fr) 36%; }}
  nav {{ break-after: page; }}
  article {{ border-top: none; }}
  article + article {{ break-before: page; }}
  .panel, .checklist li, .note, tr {{ break-inside: avoid; }}
  h2, h3 {{ break-after: avoid; }}
  a {{ text-decoration: none; }}
}}
"""


# Where things are in a letter ------------------------------------------------------------------
@dataclass(frozen=True)
class _Place:
    line: int
    label: str  # "line 12, column 4" or "¶3, column 4"


def _place(result, source: str, offset: int) -> _Place:
    line = source.count("\n", 0, offset) + 1
    paragraph = result.paragraph_position(offset)
    if paragraph:
        return _Place(line, f"¶{paragraph[0]}, column {paragraph[1]}")
    column = offset - (source.rfind("\n", 0, offset) + 1) + 1
    return _Place(line, f"line {line}, column {column}")


# Page parts ------------------------------------------------------------------------------------
def _badge(severity: Severity) -> str:
    return f'<span class="badge">{severity.label}</span>'


def _score_panel(result) -> str:
    score = result.score
    if score is None:
        return '<section class="panel"><h3>Readiness</h3><p>No score.</p></section>'
    out = ['<section class="panel score">']
    out.append(f'<h3>Readiness score</h3><p class="score-value" data-score="{score}">{score}<span class="muted"> / 100</span></p>')
    out.append(f'<div class="bar" role="img" aria-label="Score {score} of 100"><span style="width:{score}%"></span></div>')
    deductions = sorted(result.deductions or (), key=lambda item: (-item[1], item[0]))
    if deductions:
        counts: dict[str, int] = {}
        for f in result.findings:
            counts[f.rule] = counts.get(f.rule, 0) + 1
        rows = "".join(f'<tr><td>{esc(rule)}</td><td class="num">{counts.get(rule, 0)}</td>'
                       f'<td class="num">−{points:g}</td></tr>' for rule, points in deductions)
        out.append(f'<table class="deductions"><caption class="muted">What took points off (from {result.score_start:g})'
                   '</caption><thead><tr><th scope="col">Rule</th><th scope="col" class="num">Findings</th>'
                   f'<th scope="col" class="num">Points</th></tr></thead><tbody>{rows}</tbody></table>')
    elif result.deductions is not None:
        out.append('<p>Nothing took points off.</p>')
    out.append(f'<div class="how-scored"><p class="muted">{_how_scored(result)}</p></div></section>')
    return "".join(out)


def _how_scored(result) -> str:
    """How the score is computed (poalint.reporting.score), said in the page: its reader has no docs."""
    start = result.score_start
    how = (f"How the score is computed: it starts at {start:g} and each rule with findings takes off points. "
           "A finding weighs the points set for its rule, or else for its severity, and one rule takes off at "
           "most its cap, so many small findings of one kind cannot outweigh a missing section; the result is "
           "rounded and kept between 0 and 100.")
    if result.deductions is None:  # a result stored before results carried their deductions
        return how
    value = start - sum(points for _, points in result.deductions)
    points = sorted((points for _, points in result.deductions), reverse=True)  # as in the table
    sum_text = f"{start:g}" + "".join(f" − {p:g}" for p in points) + f" = {value:g}".replace("-", "−")
    if value != result.score:
        sum_text += f", so {result.score}"
    return f"{how} For this letter: {esc(sum_text)}."


def _rule_index(context) -> dict:
    return {r.id: r for r in context.rules}


def _checklist(result, context, source: str, number: int, ids: dict) -> str:
    rules = _rule_index(context)
    headings: dict[str, int] = {}
    for role, offset in result.headings:
        headings.setdefault(role, offset)
    items = []
    for rule_id, label, role in CHECKLIST:
        rule = rules.get(rule_id)
        found = [f for f in result.findings if f.rule == rule_id]
        profile = rule.profile if rule else ("escalation" if rule_id == "missing-senior-review-request" else "poa")
        if found:
            f = found[0]
            status, css = "Missing", "missing"
            detail = f'{esc(f.message)} <a href="#{ids[f]}">See the finding and its fix</a>.'
        elif profile not in ("poa", result.profile):
            status, css = "Not applicable", "skipped"
            detail = f"Only checked in {esc(profile)} letters; this letter was linted as a {esc(result.profile)}."
        elif context.rules and rule is None:
            status, css = "Not checked", "skipped"
            detail = f"The rule <code>{esc(rule_id)}</code> is switched off in this run (--select, --ignore or configuration)."
        else:
            status, css = "Present", "present"
            detail = _where_present(result, source, number, headings.get(role) if role else None, bool(role))
        items.append(f'<li class="check-{css}" data-rule="{esc(rule_id)}" data-status="{css}">'
                     f'<span class="status">{status}:</span> <strong>{esc(label)}</strong>. {detail}</li>')
    return ('<section class="panel"><h3>Required content</h3><ul class="checklist">' + "".join(items)
            + "</ul></section>")


def _where_present(result, source: str, number: int, heading_at: int | None, has_role: bool) -> str:
    """Where the rule found what it asks for: its section's heading when the letter has one. (The
    engine reports absences only; the page runs no rule's expressions to guess more.)"""
    if heading_at is not None and heading_at < len(source):
        place = _place(result, source, heading_at)
        line_end = source.find("\n", heading_at)
        heading = source[heading_at:line_end if line_end >= 0 else len(source)].strip()
        return (f'Found; its section starts at <a href="#L{number}-{place.line}">{esc(place.label)}</a> '
                f'(“{esc(heading[:80])}”).')
    if has_role:
        return "Found in the letter's text (the letter has no heading for it)."
    return "Found in the letter's text."


def _limits(rule) -> str:
    parts = []
    for limit, severity in getattr(rule, "minimums", ()):
        parts.append(f"at least {limit:,g} ({severity.label} below)")
    for limit, severity in getattr(rule, "maximums", ()):
        parts.append(f"at most {limit:,g} ({severity.label} above)")
    return "; ".join(parts)


def _metrics(result, context) -> str:
    metrics = result.metrics
    letter_rules = [r.for_profile(result.profile) for r in context.rules
                    if r.kind == "metric" and r.profile in ("poa", result.profile)]
    letter_rules = [r for r in letter_rules if r.scope.kind == "letter"]
    rows = []
    if "words" in metrics:
        targets = "; ".join(t for t in (_limits(r) for r in letter_rules if r.metric == "words") if t)
        rows.append(("Words", f"{metrics['words']:,}" + (f" <span class=\"muted\">(target: {esc(targets)})</span>" if targets else "")))
    if "sentences" in metrics:
        rows.append(("Sentences", f"{metrics['sentences']:,}"))
    if "paragraphs" in metrics:
        rows.append(("Paragraphs", f"{metrics['paragraphs']:,}"))
    graded = False
    for name, label in _READABILITY_NAMES.items():
        if name in metrics:
            graded = True
            limits = "; ".join(t for t in (_limits(r) for r in letter_rules if r.metric == name) if t)
            rows.append((f"Reading grade: {label}", f"{metrics[name]:g}"
                         + (f" <span class=\"muted\">(target: {esc(limits)})</span>" if limits else "")))
    if not graded:
        rows.append(("Reading grade", '<span class="muted">not measured (no readability rule ran)</span>'))
    body = "".join(f'<tr><th scope="row">{esc(name)}</th><td>{value}</td></tr>' for name, value in rows)
    return f'<section class="panel"><h3>Metrics</h3><table class="metrics"><tbody>{body}</tbody></table></section>'


def _chunks(source: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The letter cut into paragraphs at blank lines, never inside a highlighted span."""
    cuts = [(m.start(), m.end()) for m in _BLANK_LINES.finditer(source)]
    cuts = [(a, b) for a, b in cuts if not any(s < b and a < e for s, e in spans)]
    chunks, position = [], 0
    for a, b in cuts:
        chunks.append((position, a))
        position = b
    chunks.append((position, len(source)))
    return [(a, b) for a, b in chunks if source[a:b].strip()] or [(0, len(source))]


def _note(result, source: str, finding, number: int, ids: dict, refs: dict) -> str:
    place = _place(result, source, finding.start)
    back = f' <a href="#{refs[finding]}" aria-label="Back to the highlighted text">↩</a>' if finding in refs else ""
    label = ids[finding].rsplit("-", 1)[1]
    fix = f'<p class="fix">{esc(finding.suggestion)}</p>' if finding.suggestion else ""
    return (f'<li class="note sev-{finding.severity.label}" id="{ids[finding]}" data-rule="{esc(finding.rule)}">'
            f'<span class="badge">{finding.severity.label}</span> <strong>{label}.</strong> '
            f'<code>{esc(finding.rule)}</code>{back}<br><span class="where">{esc(place.label)}</span>'
            f'<p class="message">{esc(finding.message)}</p>{fix}</li>')


def _letter_text(result, source: str, number: int, ids: dict) -> str:
    spanned = [f for f in result.findings if f.text is not None and 0 <= f.start <= f.end <= len(source)]
    whole = [f for f in result.findings if f not in spanned]
    refs = {f: f"r{number}-{ids[f].rsplit('-', 1)[1]}" for f in spanned}
    out = []
    if whole:
        out.append('<div class="whole-letter"><h4>About the whole letter</h4><ol class="notes">')
        out.extend(_note(result, source, f, number, ids, refs) for f in whole)
        out.append("</ol></div>")
    spans = [(f.start, f.end) for f in spanned]
    markdown = EXTENSIONS.get(Path(result.path).suffix.lower()) == "markdown"
    starts = html_markdown.line_starts(source) if markdown else []
    blocks = html_markdown.blocks(source, starts) if markdown else []
    if blocks:
        rows = _rows([b.start for b in blocks] + [len(source)], spans)
        tokens = [b.tokens for b in blocks]
    else:
        rows, tokens = [(a, b, 0, 0) for a, b in _chunks(source, spans)], []
    # Each finding goes with the row its span starts in (or the row before, in a gap between rows).
    inside_rows: list[list] = [[] for _ in rows]
    row_starts = [row[0] for row in rows]
    for f in spanned:
        inside_rows[max(0, bisect_right(row_starts, f.start) - 1)].append(f)
    for (start, end, first, last), inside in zip(rows, inside_rows):
        marker = _Highlighter(inside, ids, refs)
        if blocks:
            text = html_markdown.render(source, [t for group in tokens[first:last] for t in group], starts, marker)
            css = "text md"
        else:
            text, css = marker.text(source, start, end), "text"
        text += marker.rest()
        place = _place(result, source, start)
        line_label = place.label.split(",")[0]
        notes = "".join(_note(result, source, f, number, ids, refs) for f in inside)
        # Every line of the paragraph is a link target (the checklist points at headings' lines).
        anchors = "".join(f'<span id="L{number}-{line}"></span>'
                          for line in range(place.line + 1, source.count("\n", 0, max(start, end - 1)) + 2))
        out.append(f'<div class="row" id="L{number}-{place.line}"><div class="ln">{esc(line_label)}{anchors}</div>'
                   f'<div class="{css}">{text}</div>'
                   f'<ol class="notes">{notes}</ol></div>')
    return "".join(out)


def _rows(starts: list[int], spans: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """(start, end, first block, end block) of each row: consecutive blocks (starting at
    ``starts``, the last entry being the end) kept together where a highlighted span crosses
    from one to the next."""
    crossed = {i for i, at in enumerate(starts[1:-1], 1) if any(s < at < e for s, e in spans)}
    rows, first = [], 0
    for i in range(1, len(starts)):
        if i not in crossed:
            rows.append((starts[first], starts[i], first, i))
            first = i
    return rows


class _Highlighter:
    """Letter text as HTML with the findings' spans marked, the overlap of several in the colour
    of the most severe; each finding's number follows the last piece of its span. Pieces come in
    the order of the letter."""

    def __init__(self, findings, ids: dict, refs: dict):
        self._waiting = deque(sorted(findings, key=lambda f: (f.start, f.end)))  # spans not reached yet
        self._open: list = []
        self._unnumbered = deque(sorted(findings, key=lambda f: (f.end, f.start)))
        self._ids, self._refs = ids, refs

    def plain(self, text: str) -> str:
        return esc(text)

    def text(self, source: str, start: int, end: int, shown: str | None = None) -> str:
        while self._waiting and self._waiting[0].start < end:
            self._open.append(self._waiting.popleft())
        self._open = [f for f in self._open if f.end > start]
        marked = [f for f in self._open if f.start < f.end]
        points = [start, end] if shown is not None else \
            sorted({start, end, *(p for f in marked for p in (f.start, f.end) if start < p < end)})
        pieces, covering, reached = [], [], iter(marked)  # marked is in the order of the spans' starts
        upcoming = next(reached, None)
        for a, b in zip(points, points[1:]):
            while upcoming is not None and upcoming.start < b:
                covering.append(upcoming)
                upcoming = next(reached, None)
            covering = [f for f in covering if f.end > a]
            text = esc(source[a:b] if shown is None else shown)
            if covering:
                top = max(f.severity for f in covering)
                numbers = " ".join(self._ids[f].rsplit("-", 1)[1] for f in covering)
                rules = ", ".join(dict.fromkeys(f.rule for f in covering))
                text = f'<mark class="hl sev-{top.label}" data-findings="{numbers}" title="{esc(rules)}">{text}</mark>'
            pieces.append(text + self._numbers(b))
        return "".join(pieces)

    def rest(self) -> str:
        """The numbers of findings whose span ended where no text was shown (in markup)."""
        return self._numbers(None)

    def _numbers(self, until: int | None) -> str:
        placed = []
        while self._unnumbered and (until is None or self._unnumbered[0].end <= until):
            placed.append(_ref(self._unnumbered.popleft(), self._ids, self._refs))
        return "".join(placed)


def _ref(finding, ids: dict, refs: dict) -> str:
    label = ids[finding].rsplit("-", 1)[1]
    return (f'<a class="ref sev-{finding.severity.label}" id="{refs[finding]}" href="#{ids[finding]}" '
            f'aria-label="Finding {label}: {finding.severity.label}">{label}</a>')


def _letter(result, context, number: int) -> str:
    source = (context.sources or {}).get(result.path)
    head = f'<article id="letter-{number}" class="letter"><h2>{esc(result.path)}</h2>'
    if result.error:
        return head + f'<p class="check-missing">This letter could not be linted: {esc(result.error)}</p></article>'
    counts = {s: sum(1 for f in result.findings if f.severity == s) for s in sorted(Severity, reverse=True)}
    found = ", ".join(f"{n} {s.label}{'s' if n != 1 else ''}" for s, n in counts.items())
    ids = {f: f"f{number}-{i}" for i, f in enumerate(result.findings, 1)}
    out = [head, f'<p class="muted">Profile: {esc(result.profile)} · {found}</p>', '<div class="overview">',
           _score_panel(result),
           _checklist(result, context, source or "", number, ids),
           _metrics(result, context), '</div>', '<section class="body"><h3>The letter and its findings</h3>']
    out.append('<p class="legend muted">Highlights: <span class="sev-error"><mark class="hl sev-error">error</mark></span>'
               '<span class="sev-warning"><mark class="hl sev-warning">warning</mark></span>'
               '<span class="sev-info"><mark class="hl sev-info">info</mark></span> '
               'Each highlight ends with the number of its note.</p>')
    if source is None:
        out.append("<p>The letter's text is not available.</p>")
    else:
        out.append(_letter_text(result, source, number, ids))
    out.append("</section></article>")
    return "".join(out)


def render(results, context) -> str:
    counts = summary(results)
    title = "poalint report" + (f": {results[0].path}" if len(results) == 1 else "")
    parts = ['<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
             # Nothing may load: no script, font, image or stylesheet from anywhere.
             '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">\n',
             '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
             f'<meta name="generator" content="poalint {esc(context.version)}">\n',
             f'<title>{esc(title)}</title>\n<style>\n{_css()}</style>\n</head>\n<body>\n',
             '<header><h1>poalint report</h1>',
             f'<p class="muted">poalint {esc(context.version)} · {plural(counts["files"], "letter")} checked · '
             f'{", ".join(plural(counts[s], s) for s in ("error", "warning", "info"))}</p></header>\n']
    if len(results) > 1:
        items = []
        for i, r in enumerate(results, 1):
            what = "could not be linted" if r.error else f"score {r.score}" if r.score is not None else ""
            items.append(f'<li><a href="#letter-{i}">{esc(r.path)}</a> <span class="muted">{esc(what)}</span></li>')
        parts.append(f'<nav aria-labelledby="toc"><h2 id="toc">Contents</h2><ol>{"".join(items)}</ol></nav>\n')
    parts.append("<main>\n")
    parts.extend(_letter(r, context, i) + "\n" for i, r in enumerate(results, 1))
    parts.append("</main>\n</body>\n</html>\n")
    return "".join(parts)
