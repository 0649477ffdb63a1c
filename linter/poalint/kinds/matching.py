"""The three ways a rule matches text (phrases, token patterns, regex), shared by every kind.

A PatternSet is compiled once per run for the pipeline in use; ``spans`` returns the longest
non-overlapping matches in one block, as offsets into the original file.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from poalint.nlp import source_span

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from poalint.document import Block
    from poalint.nlp import Pipeline

MATCH_KEYS = ("phrases", "patterns", "regex")
#: Token attributes that only a trained pipeline sets: a pattern using them needs `requires`.
TRAINED_ATTRS = {"POS": "tagger", "TAG": "tagger", "MORPH": "tagger", "DEP": "parser", "ENT_TYPE": "ner"}


def trained_attributes(patterns: list) -> set[str]:
    return {key for pattern in patterns for token in pattern for key in token if key in TRAINED_ATTRS}


def compile_regex(expression: str) -> re.Pattern:
    return re.compile(expression)


class PatternSet:
    def __init__(self, spec: dict, name: str):
        self.name = name
        self.phrases: list[str] = list(spec.get("phrases", ()))
        self.lemma: bool = spec.get("lemma", False)
        self.patterns: list = list(spec.get("patterns", ()))
        self.regexes = [compile_regex(r) for r in spec.get("regex", ())]
        self._phrase_matcher = None
        self._matcher = None

    def __bool__(self) -> bool:
        return bool(self.phrases or self.patterns or self.regexes)

    def compile(self, pipeline: "Pipeline") -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        nlp = pipeline.nlp
        if self.phrases:
            attr = "LEMMA" if self.lemma else "LOWER"
            self._phrase_matcher = PhraseMatcher(nlp.vocab, attr=attr)
            make = nlp if self.lemma else nlp.make_doc
            self._phrase_matcher.add(self.name, [make(p) for p in self.phrases])
        if self.patterns:
            self._matcher = Matcher(nlp.vocab, validate=True)
            for i, pattern in enumerate(self.patterns):
                try:
                    self._matcher.add(f"{self.name}:{i}", [pattern])
                except Exception as exc:  # spaCy raises ValueError or MatchPatternError with details
                    detail = " ".join(str(exc).split())
                    raise ValueError(f"patterns[{i}] is not a valid spaCy token pattern: {detail[:300]}") from None

    def spans(self, block: "Block", doc: "Doc") -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        for matcher in (self._phrase_matcher, self._matcher):
            if matcher is not None:
                found.extend(source_span(block, doc, start, end) for _, start, end in matcher(doc))
        for regex in self.regexes:
            found.extend((block.start + m.start(), block.start + m.end())
                         for m in regex.finditer(block.text) if m.end() > m.start())
        return longest_first(found)


def longest_first(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep the longest of overlapping spans (earlier first on ties), in text order."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if all(end <= k_start or start >= k_end for k_start, k_end in kept):
            kept.append((start, end))
    return sorted(kept)


def overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


class Matching:
    """What a matching rule looks for: its patterns (or its fallback on a pipeline that lacks what
    it requires) and the exceptions that cancel a match."""

    def __init__(self, rule, phrases: list[str] | None = None):
        spec = rule.spec if phrases is None else {**rule.spec, "phrases": phrases}
        self.rule = rule
        self.primary = PatternSet(spec, rule.id)
        self.fallback = PatternSet(spec.get("fallback", {}), rule.id + ":fallback")
        self.exceptions = PatternSet(spec.get("exceptions", {}), rule.id + ":exceptions")
        #: "match": an exception cancels the matches it overlaps; "sentence": every match in its sentence.
        self.exceptions_reach: str = spec.get("exceptions_reach", "match")
        self.active = self.primary

    def compile(self, pipeline: "Pipeline") -> None:
        sharp = self.rule.requires <= pipeline.capabilities
        self.active = self.primary if sharp or not self.fallback else self.fallback
        if not sharp:
            # Exceptions written with tags cannot apply where there are none.
            self.exceptions.patterns = [p for p in self.exceptions.patterns if not trained_attributes([p])]
        key = "patterns" if self.active is self.primary else "fallback"
        for pattern_set, where in ((self.active, key), (self.exceptions, "exceptions")):
            try:
                pattern_set.compile(pipeline)
            except ValueError as exc:
                raise self.rule.error(str(exc), where) from None

    def spans(self, block: "Block", doc: "Doc", letter) -> list[tuple[int, int]]:
        found = self.active.spans(block, doc)
        if not found:
            return found
        if self.exceptions:
            cancelled = self.exceptions.spans(block, doc)
            if cancelled and self.exceptions_reach == "sentence":
                sentences = [source_span(block, doc, sent.start, sent.end) for sent in doc.sents]
                cancelled = [sent for sent in sentences if overlaps(sent, cancelled)]
            found = [s for s in found if not overlaps(s, cancelled)]
        if not self.rule.include_quoted:
            found = [s for s in found if not letter.document.in_quotation(*s)]
        return found
