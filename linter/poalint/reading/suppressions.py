"""Inline suppression in Markdown, with HTML comments that are invisible when rendered:

    <!-- poalint-disable rule-id[, rule-id] -- reason -->   …   <!-- poalint-enable -->
    <!-- poalint-disable-next-line rule-id -->
    <!-- poalint-disable-file rule-id -->

A directive naming an unknown rule, or lacking a reason where the configuration requires one, is
reported as `invalid-suppression`; one that suppressed nothing as `unused-suppression`: the engine
applies the directives (poalint.rules.suppressing). This module only finds them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_DIRECTIVE = re.compile(
    r"<!--\s*poalint-(?P<kind>disable-next-line|disable-file|disable|enable)\b(?P<body>.*?)-->", re.DOTALL)


@dataclass
class Directive:
    kind: str  # "disable", "enable", "disable-next-line" or "disable-file"
    rules: tuple[str, ...]  # empty: every rule
    reason: str
    start: int
    end: int
    used: set[str] = field(default_factory=set)


def find_directives(comment: str, offset: int) -> list[Directive]:
    """The directives in an HTML comment found at ``offset`` of the source."""
    found = []
    for match in _DIRECTIVE.finditer(comment):
        ids, _, reason = match["body"].partition("--")
        rules = tuple(part.strip() for part in re.split(r"[,\s]+", ids) if part.strip())
        found.append(Directive(match["kind"], rules, reason.strip(), offset + match.start(), offset + match.end()))
    return found
