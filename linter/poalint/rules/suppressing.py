"""Applying a letter's inline suppression directives (poalint.reading.suppressions) to its findings.

A directive naming an unknown rule, or lacking a reason where the configuration requires one, is
reported as `invalid-suppression`; one that suppressed nothing as `unused-suppression` (pseudo-rules,
with their severities, in poalint.reporting.findings.PSEUDO_RULES). Neither can itself be suppressed.
"""
from __future__ import annotations

from poalint.reading.suppressions import Directive
from poalint.reporting.findings import PSEUDO_RULES, Finding, PseudoRule

INVALID = PSEUDO_RULES["invalid-suppression"]
UNUSED = PSEUDO_RULES["unused-suppression"]


def _covers(directive: Directive, rule: str) -> bool:
    return not directive.rules or rule in directive.rules


def apply(findings: set[Finding], letter, known: set[str], ran: set[str], require_reason: bool) -> set[Finding]:
    """The findings that no directive suppresses, plus findings about the directives themselves."""
    document = letter.document
    directives = document.directives
    if not directives:
        return findings
    regions = _regions(directives, len(document.source), document)
    kept = set()
    for finding in findings:
        suppressor = next((d for d, start, end in regions
                           if _covers(d, finding.rule) and start <= finding.start < end), None)
        if suppressor is None:
            kept.add(finding)
        else:
            suppressor.used.add(finding.rule)
    for d in directives:
        if d.kind == "enable":
            continue
        unknown = [rule for rule in d.rules if rule not in known]
        problem = (f"unknown rule id {unknown[0]!r} in a poalint directive" if unknown
                   else "this poalint directive gives no reason (add `-- why`)" if require_reason and not d.reason
                   else None)
        if problem:
            kept.add(_about(letter, d, INVALID, problem))
        elif not d.used and (not d.rules or set(d.rules) & ran):
            names = ", ".join(d.rules) or "any rule"
            kept.add(_about(letter, d, UNUSED, f"this directive suppressed nothing ({names})"))
    return kept


def _regions(directives: list[Directive], length: int, document) -> list[tuple[Directive, int, int]]:
    """(directive, start, end): the source offsets each directive covers."""
    regions = []
    for i, d in enumerate(directives):
        if d.kind == "disable-file":
            regions.append((d, 0, length))
        elif d.kind == "disable":
            end = next((e.start for e in directives[i + 1:] if e.kind == "enable"
                        and (not e.rules or set(e.rules) & set(d.rules or e.rules))), length)
            regions.append((d, d.end, end))
        elif d.kind == "disable-next-line":
            line, _ = document.position(d.end)
            start = _next_nonblank_line_start(document, line)
            if start is not None:
                regions.append((d, start, start + len(document.line_text(document.position(start)[0]))))
    return regions


def _next_nonblank_line_start(document, line: int) -> int | None:
    source = document.source
    offset = source.find("\n", document.offset_of_line(line))
    while offset != -1:
        offset += 1
        end = source.find("\n", offset)
        if source[offset:(len(source) if end == -1 else end)].strip():
            return offset
        offset = end
    return None


def _about(letter, directive: Directive, rule: PseudoRule, message: str) -> Finding:
    line, column = letter.document.position(directive.start)
    end_line, end_column = letter.document.position(directive.end)
    return Finding(directive.start, directive.end, line, column, end_line, end_column, rule.id, rule.severity, message,
                   "Fix or delete the directive.", letter.document.source[directive.start:directive.end])
