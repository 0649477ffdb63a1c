"""Text: `path:line:col: severity rule-id message`, the line with the span underlined, the fix."""
from __future__ import annotations

from typing import Iterator

from poalint.reporters import summary_line

_COLORS = {"error": "31", "warning": "33", "info": "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _excerpt(lines: list[str], finding, label: str | None = None) -> list[str]:
    if finding.line > len(lines):
        return []
    line = lines[finding.line - 1].rstrip("\r").expandtabs(1)
    start = finding.column - 1
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line)
    width = max(1, min(end, len(line)) - start)
    gutter = f"{label or finding.line:>5} | "
    return [gutter + line, " " * (len(gutter) - 2) + "| " + " " * start + "^" * width]


def _lines(results, context) -> Iterator[str]:
    for result in results:
        if result.error:
            continue
        lines = (context.sources or {}).get(result.path, "").splitlines()
        for f in result.findings:
            severity = _paint(f.severity.label, _COLORS[f.severity.label], context.color)
            rule = _paint(f.rule, "1", context.color)
            paragraph = result.paragraph_position(f.start)  # a .docx: Word paragraph, not line
            where = f"¶{paragraph[0]}:{paragraph[1]}" if paragraph else f"{f.line}:{f.column}"
            yield f"{result.path}:{where}: {severity} {rule} {f.message}"
            if context.quiet:
                continue
            if f.text is not None and lines:
                yield from _excerpt(lines, f, f"¶{paragraph[0]}" if paragraph else None)
            if f.suggestion:
                yield f"      = fix: {f.suggestion}"
            yield ""
    yield summary_line(results)


def render(results, context) -> str:
    return "".join(line + "\n" for line in _lines(results, context))


def write(results, context, stream) -> None:
    for line in _lines(results, context):
        stream.write(line + "\n")
