"""A Letter is a Document after NLP: what compiled rules look at, and how they make findings."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from poalint.analysis.blocks import BlockAnalysis, Sentence
from poalint.reading.document import Block, Document
from poalint.reporting.findings import Finding, Severity
from poalint.reading.sections import OPENING, OTHER


@dataclass(frozen=True)
class Scope:
    """Which part of the letter a rule reads: ``letter``, ``opening``, ``sentence`` or section roles."""

    kind: str = "letter"
    roles: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, value) -> "Scope":
        if isinstance(value, dict):
            return cls("sections", frozenset(value["sections"]))
        return cls(value or "letter")

    def describe(self) -> str:
        return ", ".join(sorted(self.roles)) + " sections" if self.kind == "sections" else self.kind


@dataclass
class Letter:
    document: Document
    #: Each block, with the analysis of its text.
    analysed: list[tuple[Block, BlockAnalysis]]
    #: Numbers reported with the letter; metric rules add the scores they compute.
    metrics: dict = field(default_factory=dict)

    # What the rules read -------------------------------------------------------------------
    def blocks(self, scope: Scope, *, headings: bool = True,
               quoted: bool = False) -> list[tuple[Block, BlockAnalysis]]:
        if scope.kind == "sections":
            wanted = {s.index for s in self.document.sections if s.role in scope.roles}
        elif scope.kind == "opening":
            wanted = set()
            for section in self.document.sections:
                if section.role not in (OPENING, OTHER):
                    break
                wanted.add(section.index)
        else:
            wanted = None
        return [(b, d) for b, d in self.analysed
                if (wanted is None or b.section in wanted)
                and (headings or b.kind != "heading") and (quoted or not b.quoted)]

    def sentences(self, scope: Scope, *, headings: bool = False,
                  quoted: bool = False) -> Iterator[tuple[Block, BlockAnalysis, Sentence]]:
        """The sentences of the scope that hold a word."""
        for block, analysis in self.blocks(scope, headings=headings, quoted=quoted):
            for sentence in analysis.sentences:
                if sentence.words:
                    yield block, analysis, sentence

    def has_role(self, roles) -> bool:
        return any(s.role in roles for s in self.document.sections)

    def anchor(self, scope: Scope) -> tuple[int, int]:
        """Where a finding about a missing thing points: the scope's heading, else the first line."""
        if scope.kind == "sections":
            for section in self.document.sections:
                if section.role in scope.roles and section.heading is not None:
                    return section.heading.start, section.heading.start + len(section.heading.text.rstrip())
        source = self.document.source
        # The letter's first line of text (front matter is not the letter).
        first = self.document.blocks[0].start if self.document.blocks else len(source) - len(source.lstrip())
        end = source.find("\n", first)
        end = len(source) if end < 0 else end
        return first, (end - 1 if source[end - 1:end] == "\r" else end)

    # Findings --------------------------------------------------------------------------------
    def finding(self, rule, start: int, end: int, message: str, suggestion: str | None,
                severity: Severity | None = None, *, about_span: bool = True, fix: str | None = None,
                fix_safe: bool = False) -> Finding:
        document = self.document
        line, column = document.position(start)
        end_line, end_column = document.position(end)
        return Finding(
            start=start, end=end, line=line, column=column, end_line=end_line, end_column=end_column,
            rule=rule.id, severity=severity or rule.severity, message=message, suggestion=suggestion,
            text=document.source[start:end] if about_span else None, fix=fix, fix_safe=fix_safe,
        )
