"""The Document: a letter's original text, its prose blocks and its sections.

Every block's ``text`` has exactly the length of the source slice it comes from, with markup
replaced by spaces, so an offset inside a block plus ``block.start`` is an offset into the file.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from itertools import accumulate


def paragraph_position(spans, offset: int) -> tuple[int, int] | None:
    """1-based (paragraph, column) of an offset, given the (start, end) span of each Word
    paragraph's text in the extracted text; None when there are no spans (not a .docx).

    An offset between paragraphs, or on a list item's "- ", belongs to the next paragraph."""
    if not spans:
        return None
    i = min(bisect.bisect_left(spans, offset, key=lambda span: span[1]), len(spans) - 1)
    return i + 1, max(1, offset - spans[i][0] + 1)


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "paragraph" or "item"
    start: int
    text: str
    quoted: bool = False  # a blockquote: someone else's words
    section: int = 0
    level: int = 0  # Markdown heading level; 0 for plain-text headings and non-headings

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Section:
    index: int
    role: str  # "opening" before the first heading; otherwise a declared role or "other"
    title: str
    heading: Block | None


@dataclass
class Document:
    path: str
    source: str
    blocks: list[Block]
    sections: list[Section]
    quoted_spans: list[tuple[int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Template variables (template mode): findings never point inside one.
    variables: list[tuple[int, int]] = field(default_factory=list)
    #: .docx only: (start, end) in ``source`` of each Word paragraph's text (list items without
    #: their "- ", table rows whole), in document order; paragraph N is ``paragraph_spans[N-1]``.
    paragraph_spans: list[tuple[int, int]] = field(default_factory=list)
    #: Inline suppression directives (poalint.reading.suppressions.Directive), in source order.
    directives: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", self.source))]
        self._quote_starts = [start for start, _ in self.quoted_spans]
        #: The furthest end of the quoted spans up to each: a span [start, end) lies within a
        #: quotation if one that starts at or before ``start`` reaches ``end`` (quotations may nest).
        self._quote_reach = list(accumulate((end for _, end in self.quoted_spans), max))

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def paragraph_position(self, offset: int) -> tuple[int, int] | None:
        """1-based (Word paragraph, column) of an offset in a .docx letter; None otherwise."""
        return paragraph_position(self.paragraph_spans, offset)

    def offset_of_line(self, line: int) -> int:
        return self._line_starts[line - 1]

    def line_text(self, line: int) -> str:
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.source)
        return self.source[start:end].rstrip("\r")

    def in_variable(self, start: int, end: int) -> bool:
        return any(v_start < end and start < v_end for v_start, v_end in self.variables)

    def within_quotation(self, start: int, end: int) -> bool:
        """Whether [start, end) lies wholly within text the letter quotes in quotation marks."""
        i = bisect.bisect_right(self._quote_starts, start) - 1
        return i >= 0 and self._quote_reach[i] >= end

    def in_quotation(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps text the letter quotes in quotation marks."""
        i = bisect.bisect_right(self._quote_starts, end) - 1
        while i >= 0:
            q_start, q_end = self.quoted_spans[i]
            if q_end > start and q_start < end:
                return True
            if q_end <= start:
                return False
            i -= 1
        return False
