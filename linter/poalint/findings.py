"""Findings are plain immutable records; everything downstream only reads them."""
from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> "Severity":
        return cls[name.upper()]

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Finding:
    """One thing an investigator would hold against the letter.

    ``start``/``end`` are character offsets into the original file's text; ``text`` is that exact
    slice, or None when the finding is about the whole letter or a missing section.
    Lines and columns are 1-based; ``end_column`` is one past the last character (as in SARIF).
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
