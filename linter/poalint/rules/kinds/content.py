"""content: whether anything in a letter does one section's job (states a root cause, reports
actions taken, sets preventive measures), whatever its headings or phrasing.

The job is done when a heading of the rule's ``role`` has real content under it (``min_words``
words of prose outside template ``slots``), or when any sentence of the letter passes one of the
rule's ``sentences`` tests (SentenceTest: sentence features and phrase patterns). Only when
nothing does is there a finding, so its message can say that nothing does.
"""
from __future__ import annotations

import json
import weakref
from typing import TYPE_CHECKING

from poalint.analysis.features import Condition
from poalint.analysis.letter import Scope
from poalint.regex import compile_regex
from poalint.rules.kinds.base import Rule
from poalint.rules.matching.patterns import PatternSet
from poalint.rules.matching.spans import overlaps, word_span

if TYPE_CHECKING:
    from poalint.analysis.letter import Letter

_PATTERN_KEYS = ("phrases", "lemma", "patterns", "regex")

#: Per spaCy pipeline, the pattern sets compiled for sentence tests, by their spec, with the key
#: of their matches on a block analysis: a list shared by several tests (a YAML anchor, as the
#: root-cause rules' NOT_OWNED) is compiled once and matched once per block, not once per test.
_COMPILED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


class SentenceTest:
    """One way a sentence can do a job. Every part given must hold: one of the ``when``
    conditions (sentence features), a match of the phrases, patterns or regex inside the
    sentence, and no match of ``unless`` in it."""

    def __init__(self, rule: Rule, spec: dict, key: str):
        self.rule, self.key = rule, key
        whens = spec.get("when", [])
        try:
            self.conditions = [Condition.parse(when) for when in ([whens] if isinstance(whens, dict) else whens)]
        except ValueError as exc:
            raise rule.error(str(exc), f"{key}.when") from None
        self._specs = ({k: spec[k] for k in _PATTERN_KEYS if k in spec}, spec.get("unless", {}))
        self.patterns = PatternSet(self._specs[0], f"{rule.id}:{key}")
        self.unless = PatternSet(self._specs[1], f"{rule.id}:{key}:unless")

    def compile(self, pipeline) -> None:
        compiled = _COMPILED.setdefault(pipeline.nlp, {})
        sets, keys = [], []
        for spec, name, where in ((self._specs[0], self.patterns.name, self.key),
                                  (self._specs[1], self.unless.name, f"{self.key}.unless")):
            shared = json.dumps(spec, sort_keys=True, default=str)
            if shared not in compiled:
                # a set of its own for each pipeline, so that compiling for another leaves this one whole
                pattern_set = PatternSet(spec, name)
                if pattern_set:
                    try:
                        pattern_set.compile(pipeline)
                    except ValueError as exc:
                        raise self.rule.error(str(exc), where) from None
                #: with the key of its matches on a block analysis (as in Matching)
                compiled[shared] = (pattern_set, object())
            sets.append(compiled[shared][0])
            keys.append(compiled[shared][1])
        self.patterns, self.unless = sets
        self._keys = tuple(keys)

    def _spans(self, pattern_set: PatternSet, key: object, view) -> list[tuple[int, int]]:
        """The matches in the view's block (offsets into its text), found once per block text, each
        narrowed to its words: a regex that finds a sentence's start by the end of the one before
        ("(?:^|[.!?]\\s+)We will train") lies in the later sentence only."""
        found = view.analysis.matches.get(key)
        if found is None:
            text = view.block.text
            found = view.analysis.matches[key] = [word_span(text, start, end)
                                                  for start, end in pattern_set.spans(text, view.analysis)]
        return found

    def passes(self, view) -> bool:
        # The parts in order of cost: the features are worked out already, matches may not be.
        if self.conditions and not any(c.holds(view.features, view.where) for c in self.conditions):
            return False
        sentence = view.analysis.text_span(view.sentence.start, view.sentence.end)
        if self.patterns and not any(sentence[0] <= start and end <= sentence[1]
                                     for start, end in self._spans(self.patterns, self._keys[0], view)):
            return False
        return not (self.unless and overlaps(sentence, self._spans(self.unless, self._keys[1], view)))


def sentence_tests(rule: Rule, specs: list[dict], key: str) -> list[SentenceTest]:
    return [SentenceTest(rule, spec, f"{key}.{i}") for i, spec in enumerate(specs)]


def passes_any(tests: list[SentenceTest], view) -> bool:
    return any(test.passes(view) for test in tests)


def passes_whole_or_in_a_clause(tests: list[SentenceTest], view, letter: "Letter") -> bool:
    """Whether a sentence passes one of ``tests`` whole or, a draft's run-on sentence, in one of
    its clauses (Letter.clause_views), where the whole sentence's features may hide the job."""
    return passes_any(tests, view) or any(passes_any(tests, clause) for clause in letter.clause_views(view))


def prose_views(letter: "Letter", scope: Scope) -> list:
    """The sentence views of the scope that are the writer's own prose: no heading, no quotation."""
    return [view for view in letter.sentence_views(scope) if not view.where.heading and not view.where.quoted]


class SectionContent:
    """The sections a heading of one role opens (with the subsections that keep its role), and
    whether each holds real content: ``min_words`` words in sentences without a template slot."""

    def __init__(self, rule: Rule):
        spec = rule.spec
        self.role: str = spec["role"]
        self.min_words: int = spec.get("min_words", 5)
        self.slots = [compile_regex(expression) for expression in spec.get("slots", ())]
        #: Which of a block analysis's slot flags are this rule's (BlockAnalysis.slots).
        self._slots_key = object()

    def headed(self, letter: "Letter") -> list[list[int]]:
        """The section indices under each heading of the role, in letter order."""
        groups: list[list[int]] = []
        previous = None
        for section in letter.document.sections:  # only the opening (never of a pack's role) lacks a heading
            if section.role == self.role:
                if previous != self.role:
                    groups.append([])
                groups[-1].append(section.index)
            previous = section.role
        return groups

    def views(self, letter: "Letter", groups: list[list[int]]) -> list[list]:
        """The sentences of each heading's sections (``groups``, from ``headed``), read in one pass:
        a letter may have many headings of one role."""
        group_of = {section: i for i, group in enumerate(groups) for section in group}
        found: list[list] = [[] for _ in groups]
        for view in prose_views(letter, Scope("sections", frozenset({self.role}))):
            if view.block.section in group_of:
                found[group_of[view.block.section]].append(view)
        return found

    def _slots_of(self, view) -> dict[int, tuple[bool, bool]]:
        """For each sentence of the view's block, whether it holds part of a template slot, and
        whether it starts inside one (a long slot, "[Insert root cause here. Example: …]", spans
        sentences); found once per block text, since most rules that read sections read the same
        ones letter after letter."""
        analysis = view.analysis
        flags = analysis.slots.get(self._slots_key)
        if flags is None:
            slots = [match.span() for slot in self.slots for match in slot.finditer(view.block.text)]
            flags = analysis.slots[self._slots_key] = {}
            for sentence in analysis.sentences:
                start, end = analysis.text_span(sentence.start, sentence.end)
                flags[sentence.start] = (overlaps((start, end), slots),
                                         any(slot_start <= start < slot_end for slot_start, slot_end in slots))
        return flags

    def holds_slot(self, view) -> bool:
        return bool(self.slots) and self._slots_of(view)[view.sentence.start][0]

    def in_slot(self, view) -> bool:
        """Whether the sentence is a template's own words: it starts inside a slot."""
        return bool(self.slots) and self._slots_of(view)[view.sentence.start][1]

    def present(self, views: list) -> bool:
        """Whether the sentences hold real content: enough words outside sentences with a slot."""
        return sum(view.sentence.words for view in views if not self.holds_slot(view)) >= self.min_words


class Content(Rule):
    kind = "content"
    fields = frozenset({"role"})

    def __init__(self, spec, origin):
        super().__init__(spec, origin)
        self.sections = SectionContent(self)
        self.tests = sentence_tests(self, spec["sentences"], "sentences")

    def compile(self, pipeline) -> None:
        super().compile(pipeline)
        for test in self.tests:
            test.compile(pipeline)

    def done(self, letter: "Letter") -> bool:
        if any(map(self.sections.present, self.sections.views(letter, self.sections.headed(letter)))):
            return True
        return any(passes_whole_or_in_a_clause(self.tests, view, letter) for view in prose_views(letter, Scope()))

    def check(self, letter):
        if self.done(letter):
            return
        start, end = letter.anchor(Scope())
        values = {"role": self.sections.role}
        yield letter.finding(self, start, end, self.render(self.message, **values),
                             self.render(self.suggestion_for(letter), **values), about_span=False)
