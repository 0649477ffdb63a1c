"""Text: `path:line:col: severity rule-id message`, a window of the line with the span
underlined, the fix once per letter, a line per letter, the summary.

Everything from outside (file names, letter text, rule messages) goes through `printable`, so an
escape sequence or a line break in it is shown, never obeyed: a message holding ``\\n`` cannot print
a second, forged finding line.
"""
from __future__ import annotations

import shutil
from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Iterator

from poalint.escaping import printable
from poalint.reporting.formats import letter_lines, profile_text, summary_line

_COLORS = {"error": "31", "warning": "33", "info": "36"}
#: Columns when standard output is not a terminal (a pipe, a file, a CI log), and the fewest used.
_FALLBACK_COLUMNS, _MIN_COLUMNS = 100, 60
_CUT = "…"


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _shown(ch: str) -> str:
    # A tab is one column in `Finding.column`, so it is shown as one space, not as `\t`.
    return " " if ch == "\t" else printable(ch)


def _window(line: str, start: int, end: int, width: int) -> tuple[str, int, int]:
    """At most ``width`` columns of ``line`` around the span [start, end), escaped, with "…"
    where it is cut: (the text, the span's first column in it, the span's width, at least 1).

    Only the characters that can fall in the window are escaped: a one-line paragraph of
    20,000 characters costs no more than a short line."""
    first = max(0, start - width)
    last = min(len(line), min(end, start + width) + width)
    segment = line[first:last].replace("\t", " ")
    if segment.isprintable():  # the usual case: one column per character, nothing to escape
        pieces: list[str] | str = segment
        columns: list[int] | range = range(len(segment) + 1)
    else:
        pieces = [_shown(ch) for ch in segment]
        columns = list(accumulate(map(len, pieces), initial=0))  # columns[i]: where character first+i starts
    span_start, span_end = columns[start - first], columns[max(start, min(end, last)) - first]
    if first == 0 and last == len(line) and columns[-1] <= width:
        return _joined(pieces), span_start, max(1, span_end - span_start)
    room = width - 2  # one column for the "…" at each cut
    before = max(min(10, room // 4), (room - (span_end - span_start)) // 2)  # context before the span
    lo = bisect_left(columns, max(0, min(span_start - before, columns[-1] - room)))
    if first + lo == 0:
        room += 1
    # If the line's end comes into view, the column kept for the right "…" holds text instead.
    hi = bisect_right(columns, columns[lo] + room + 1) - 1
    if first + hi < len(line):
        hi = bisect_right(columns, columns[lo] + room) - 1
    left = _CUT if first + lo > 0 else ""
    right = _CUT if first + hi < len(line) else ""
    shown_start = len(left) + span_start - columns[lo]
    return left + _joined(pieces[lo:hi]) + right, shown_start, max(1, min(span_end, columns[hi]) - span_start)


def _joined(pieces: list[str] | str) -> str:
    return pieces if isinstance(pieces, str) else "".join(pieces)


def _excerpt(lines: list[str], finding, label: str, columns: int) -> list[str]:
    if finding.line > len(lines):
        return []
    line = lines[finding.line - 1].removesuffix("\r")
    start = min(finding.column - 1, len(line))
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line)
    gutter = f"{label:>5} | "
    text, caret, width = _window(line, start, max(start, min(end, len(line))), max(1, columns - len(gutter)))
    return [gutter + text, " " * (len(gutter) - 2) + "| " + " " * caret + "^" * width]


def _lines(results, context) -> Iterator[str]:
    columns = max(_MIN_COLUMNS, shutil.get_terminal_size((_FALLBACK_COLUMNS, 24)).columns)
    fixes_shown: dict[tuple[str, str], str] = {}  # (rule, fix) → where it was printed, for "see line 3"
    for result in results:
        if result.error:
            continue
        if not context.quiet:
            fixes_shown = {}  # once per letter; with --quiet, once per run
        path = printable(result.path)
        # Split only at "\n", exactly as `Document.position` counts lines: splitlines() would also
        # split at \v, \f, \x85, U+2028, U+2029 and a lone \r, and quote the wrong line.
        source = (context.sources or {}).get(result.path)
        lines = source.split("\n") if source else []
        for f in result.findings:
            severity = _paint(f.severity.label, _COLORS[f.severity.label], context.color)
            rule = _paint(printable(f.rule), "1", context.color)
            paragraph = result.paragraph_position(f.start)  # a .docx: Word paragraph, not line
            where = f"¶{paragraph[0]}:{paragraph[1]}" if paragraph else f"{f.line}:{f.column}"
            label = f"¶{paragraph[0]}" if paragraph else str(f.line)
            yield f"{path}:{where}: {severity} {rule} {printable(f.message)}"
            if f.text is not None and lines and not context.quiet:
                yield from _excerpt(lines, f, label, columns)
            if f.suggestion:
                seen = fixes_shown.get((f.rule, f.suggestion))
                if seen is None:
                    fixes_shown[(f.rule, f.suggestion)] = label if paragraph else f"line {label}"
                    yield f"      = fix: {printable(f.suggestion)}"
                elif not context.quiet:
                    yield f"      = fix: see {seen}"
            if not context.quiet:
                yield ""
    if len(results) > 1:
        yield from letter_lines(results)
    elif results and not results[0].error and not context.quiet:
        yield f"{printable(results[0].path)}: {profile_text(results[0])}"
    yield summary_line(results)


def render(results, context) -> str:
    return "".join(line + "\n" for line in _lines(results, context))


def write(results, context, stream) -> None:
    for line in _lines(results, context):
        stream.write(line + "\n")
