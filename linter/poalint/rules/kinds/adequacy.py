"""adequacy: a section that is there but does not do its job well enough, and what it lacks.

The rule reads each heading of its ``role`` that has real content (a section without any is the
``content`` rule's finding, never this one's) and tries its ``lacks`` checks in order; the first
that applies is reported, once per section. In a letter with no heading of the role, the rule's
``sentences`` (those that do the role's job, as a ``content`` rule's, outside the sections of other
roles: a done step told under "Root cause" is not a corrective section) stand for the section;
only when there are none outside, the ones inside them do, since they are what made the
``content`` rule count the section as present. Sentences that start inside a template slot
(its own example: "[Insert root cause here. Example: …]") are not the seller's and are not judged. A
check applies when no sentence of the section passes one of its ``none`` tests and (if it has
``some``) a sentence passes one of those. The finding points at the section's first sentence, or
with ``point_at: sentence`` at the first sentence that passes ``some``.
"""
from __future__ import annotations

from typing import NamedTuple

from poalint.analysis.letter import Scope
from poalint.reading.sections import OPENING, OTHER
from poalint.rules.kinds.base import Rule
from poalint.rules.kinds.content import (SectionContent, SentenceTest, passes_any, passes_whole_or_in_a_clause,
                                         prose_views, sentence_tests)


class Lack(NamedTuple):
    problem: str
    none: list[SentenceTest]
    some: list[SentenceTest]
    point_at: str

    def found_in(self, letter, views: list) -> list:
        """The sentences the lack is about (all of the section's when it has no ``some``), or []
        when it does not apply: a sentence passes ``none`` whole or, in a run-on draft, in one of
        its clauses."""
        if any(passes_whole_or_in_a_clause(self.none, view, letter) for view in views):
            return []
        return [view for view in views if passes_any(self.some, view)] if self.some else views


class Adequacy(Rule):
    kind = "adequacy"
    fields = frozenset({"problem", "heading", "role"})

    def __init__(self, spec, origin):
        super().__init__(spec, origin)
        self.sections = SectionContent(self)
        self.lacks = [Lack(lack["problem"], sentence_tests(self, lack.get("none", []), f"lacks.{i}.none"),
                           sentence_tests(self, lack.get("some", []), f"lacks.{i}.some"),
                           lack.get("point_at", "section"))
                      for i, lack in enumerate(spec["lacks"])]
        self.sentences = sentence_tests(self, spec.get("sentences", []), "sentences")

    def compile(self, pipeline) -> None:
        super().compile(pipeline)
        for lack in self.lacks:
            for test in lack.none + lack.some:
                test.compile(pipeline)
        for test in self.sentences:
            test.compile(pipeline)

    def check(self, letter):
        sections = letter.document.sections
        groups = self.sections.headed(letter)
        for group, views in zip(groups, self.sections.views(letter, groups)):
            if self.sections.present(views):
                # a template's own words ("[Example: we did not check …]") are not the seller's
                yield from self._judged(letter, [view for view in views if not self.sections.in_slot(view)],
                                        sections[group[0]].title)
        if not groups and self.sentences:
            # as the content rule finds them: whole, or in a clause of a draft's run-on sentence;
            # those outside other roles' sections, and only where there are none, the ones inside
            # them (the sentences that made the content rule count the section as present)
            outside, inside = [], []
            for view in prose_views(letter, Scope()):
                (outside if view.where.role in (OPENING, OTHER) else inside).append(view)
            views = ([view for view in outside if passes_whole_or_in_a_clause(self.sentences, view, letter)]
                     or [view for view in inside if passes_whole_or_in_a_clause(self.sentences, view, letter)])
            if views:
                yield from self._judged(letter, views, "")

    def _judged(self, letter, views: list, heading: str):
        """The first lack that applies to a section's sentences, as a finding."""
        for lack in self.lacks:
            concerned = lack.found_in(letter, views)
            if concerned:
                view = concerned[0] if lack.point_at == "sentence" else views[0]
                values = {"problem": lack.problem, "heading": heading, "role": self.sections.role}
                start, end = view.span
                yield letter.finding(self, start, end, self.render(self.message, **values),
                                     self.render(self.suggestion_for(letter, view.block, view.analysis,
                                                                     start, end), **values))
                return
