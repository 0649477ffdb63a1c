"""Findings are plain immutable records; everything downstream only reads them."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import NamedTuple

from poalint.reading.document import paragraph_position


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> "Severity":
        return _BY_NAME.get(name) or cls[name.upper()]  # a label as written, looked up fast

    @property
    def label(self) -> str:
        return _LABELS[self]  # read for every finding reported: Enum.name is slow to look up


_LABELS = {severity: severity.name.lower() for severity in Severity}
_BY_NAME = {label: severity for severity, label in _LABELS.items()}


class PseudoRule(NamedTuple):
    """A finding's source that is not a rule of a pack, but is reported and weighed like one."""

    id: str
    severity: Severity
    description: str


#: The pseudo-rules, declared once: findings name them like rules, the score weighs them (a
#: ``score.per_rule`` key may name them), and no rule setting or directive turns them off.
PSEUDO_RULES = {rule.id: rule for rule in (
    PseudoRule("encoding", Severity.INFO, "The reader's note about the letter's file, e.g. that it was not UTF-8."),
    PseudoRule("invalid-suppression", Severity.WARNING,
               "A poalint directive names an unknown rule, or gives no reason where the configuration requires one."),
    PseudoRule("unused-suppression", Severity.INFO, "A poalint directive suppressed nothing."),
)}


class Finding(NamedTuple):
    """One thing an investigator would hold against the letter.

    ``start``/``end`` are character offsets into the original file's text; ``text`` is that exact
    slice, or None when the finding is about the whole letter or a missing section.
    Lines and columns are 1-based; ``end_column`` is one past the last character (as in SARIF).
    Findings sort by their fields in this order. (A named tuple rather than a frozen dataclass:
    a cached run of a thousand letters makes ten thousand of them, and a frozen dataclass
    takes six times as long to build.)
    """

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    severity: Severity
    message: str
    suggestion: str | None = None
    text: str | None = None
    #: Replacement for the span [start, end) that `--fix` may apply; ``fix_safe`` without --unsafe-fixes.
    fix: str | None = None
    fix_safe: bool = False

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity.label,
            "message": self.message,
            "suggestion": self.suggestion,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "fix": None if self.fix is None else {"replacement": self.fix, "safe": self.fix_safe},
        }


@dataclass(frozen=True)
class FileResult:
    path: str
    profile: str
    metrics: dict = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    error: str | None = None  # the one-line reason a file could not be linted
    skipped: bool = False  # the file is not a letter (binary, too large): a warning, not an error
    #: .docx only: Document.paragraph_spans, for reporters to give Word paragraph positions.
    paragraph_spans: tuple[tuple[int, int], ...] = ()
    #: The readiness score, 0–100 (poalint.reporting.score); None when the letter could not be linted.
    score: int | None = None
    #: What the score was computed from: the points it starts at, and (rule, points) for each rule
    #: that took points off, after its cap; None when not known. Reports explain the score with them.
    score_start: float = 100
    deductions: tuple[tuple[str, float], ...] | None = None
    #: (section role, offset of its heading) for each heading of the letter, in order.
    headings: tuple[tuple[str, int], ...] = ()
    #: Why the letter has its profile: "set by --profile", "front matter", "configuration" or
    #: "detected: …" (poalint.rules.ruleset.LetterProfile); None when the letter could not be linted.
    profile_reason: str | None = None
    #: The suspension reasons the letter was linted for, most likely first (none: unsure), and
    #: why: "set by --reason", "front matter" or "detected: …" (poalint.rules.reasons.LetterReasons).
    reasons: tuple[str, ...] = ()
    reason_source: str | None = None

    def paragraph_position(self, offset: int) -> tuple[int, int] | None:
        """1-based (Word paragraph, column) of an offset; None unless the letter is a .docx."""
        return paragraph_position(self.paragraph_spans, offset)
