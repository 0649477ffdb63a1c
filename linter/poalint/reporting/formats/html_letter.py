"""The letter in the HTML report (poalint.reporting.formats.html): its text, block by block, with
each finding's span highlighted by severity and its note (message, fix) beside the block."""
from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from poalint.reading import EXTENSIONS
from poalint.reporting.formats import html_markdown

_NOT_HTML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_BLANK_LINES = re.compile(r"\n(?:[ \t\r\f\v]*\n)+")


def esc(text) -> str:
    """Text (from a letter, a path, a message) as inert HTML: markup characters escaped, and
    characters HTML cannot carry replaced."""
    return html.escape(_NOT_HTML.sub("\ufffd", str(text)), quote=True)


@dataclass(frozen=True)
class Place:
    line: int
    label: str  # "line 12, column 4" or "¶3, column 4"


def place_of(result, source: str, offset: int) -> Place:
    line = source.count("\n", 0, offset) + 1
    paragraph = result.paragraph_position(offset)
    if paragraph:
        return Place(line, f"¶{paragraph[0]}, column {paragraph[1]}")
    column = offset - (source.rfind("\n", 0, offset) + 1) + 1
    return Place(line, f"line {line}, column {column}")


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
    place = place_of(result, source, finding.start)
    back = f' <a href="#{refs[finding]}" aria-label="Back to the highlighted text">↩</a>' if finding in refs else ""
    label = ids[finding].rsplit("-", 1)[1]
    fix = f'<p class="fix">{esc(finding.suggestion)}</p>' if finding.suggestion else ""
    return (f'<li class="note sev-{finding.severity.label}" id="{ids[finding]}" data-rule="{esc(finding.rule)}">'
            f'<span class="badge">{finding.severity.label}</span> <strong>{label}.</strong> '
            f'<code>{esc(finding.rule)}</code>{back}<br><span class="where">{esc(place.label)}</span>'
            f'<p class="message">{esc(finding.message)}</p>{fix}</li>')


def letter_text(result, source: str, number: int, ids: dict) -> str:
    """The letter, row by row: its text with the findings' spans marked, and their notes beside it."""
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
        place = place_of(result, source, start)
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
