"""A Letter is a Document after NLP: what compiled rules look at, and how they make findings."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator, NamedTuple

from poalint.reading.document import Block, Document
from poalint.reporting.findings import Finding, Severity
from poalint.reading.sections import OPENING, OTHER

if TYPE_CHECKING:
    from spacy.tokens import Doc

_WORD = re.compile(r"[^\W_]")


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


_WORD_FLAGS = "poalint_word_flags"
#: Whether a token text holds a letter or digit, by its string-store id.
_HAS_WORD_CHARACTER: dict[int, bool] = {}


def word_flags(doc: "Doc") -> list[bool]:
    """Whether each token of a block's Doc is a word (neither space nor punctuation, and holding
    a letter or digit), computed once: several rules count words. Read as arrays, since each spaCy
    Token read from Python is an object made anew."""
    flags = doc.user_data.get(_WORD_FLAGS)
    if flags is None:
        strings, known = doc.vocab.strings, _HAS_WORD_CHARACTER
        flags = []
        for orth, space, punct in doc.to_array(["ORTH", "IS_SPACE", "IS_PUNCT"]).tolist():
            has = known.get(orth)
            if has is None:
                has = known[orth] = bool(_WORD.search(strings[orth]))
            flags.append(has and not space and not punct)
        doc.user_data[_WORD_FLAGS] = flags
    return flags


def word_count(doc: "Doc", start: int = 0, end: int | None = None) -> int:
    """The words among tokens ``start`` to ``end`` of a block's Doc."""
    return sum(word_flags(doc)[start:end])


class Sentence(NamedTuple):
    """One sentence of a block's Doc: its tokens ``start`` to ``end`` and how many are words."""

    start: int
    end: int
    words: int


_SENTENCES = "poalint_sentences"


def sentences_of(doc: "Doc") -> list[Sentence]:
    """Every sentence of a block's Doc, found once per Doc: several rules and metrics read them,
    and spaCy makes each sentence Span anew."""
    found = doc.user_data.get(_SENTENCES)
    if found is None:
        found = doc.user_data[_SENTENCES] = [Sentence(sent.start, sent.end, word_count(doc, sent.start, sent.end))
                                             for sent in doc.sents]
    return found


@dataclass
class Letter:
    document: Document
    profile: str
    analysed: list[tuple[Block, "Doc"]]
    capabilities: frozenset[str] = frozenset()
    #: Numbers reported with the letter; metric rules add the scores they compute.
    metrics: dict = field(default_factory=dict)

    # What the rules read -------------------------------------------------------------------
    def blocks(self, scope: Scope, *, headings: bool = True, quoted: bool = False) -> list[tuple[Block, "Doc"]]:
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
                  quoted: bool = False) -> Iterator[tuple[Block, "Doc", Sentence]]:
        """The sentences of the scope that hold a word."""
        for block, doc in self.blocks(scope, headings=headings, quoted=quoted):
            for sentence in sentences_of(doc):
                if sentence.words:
                    yield block, doc, sentence

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
