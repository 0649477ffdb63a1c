"""sections: the section roles a letter must have, their order, and how much each must hold.

A letter written as unheaded prose is left to the ``required`` rules: this kind judges only
letters that use at least one recognised section heading.
"""
from __future__ import annotations

from poalint.rules.kinds.base import Rule
from poalint.analysis.letter import Scope


class Sections(Rule):
    kind = "sections"
    fields = frozenset({"role", "heading", "problem"})

    def __init__(self, spec, origin):
        super().__init__(spec, origin)
        self.required: list[str] = spec["required"]
        self.in_order: bool = spec.get("order", False)
        self.min_words: int = spec.get("min_words", 0)
        self.report_missing: bool = spec.get("report_missing", True)

    def _finding(self, letter, start, end, role, heading, problem):
        values = {"role": role, "heading": heading, "problem": problem}
        return letter.finding(self, start, end, self.render(self.message, **values),
                              self.render(self.suggestion_for(letter), **values), about_span=False)

    def check(self, letter):
        document = letter.document
        present = [s for s in document.sections if s.role in self.required and s.heading is not None]
        if not present:
            return
        words = [0] * len(document.sections)
        for block, analysis in letter.analysed:
            if block.kind != "heading" and not block.quoted:
                words[block.section] += analysis.words()
        # A heading's content runs on through the subsections that share its role.
        for i in range(len(words) - 2, -1, -1):
            if document.sections[i + 1].role == document.sections[i].role:
                words[i] += words[i + 1]
        first_start, first_end = letter.anchor(Scope())
        for role in self.required if self.report_missing else ():
            if not any(s.role == role for s in present):
                yield self._finding(letter, first_start, first_end, role, "", "is missing")
        last_rank = -1
        for section in present:
            heading = section.heading
            start, end = heading.start, heading.start + len(heading.text.rstrip())
            rank = self.required.index(section.role)
            if self.in_order and rank < last_rank:
                yield self._finding(letter, start, end, section.role, section.title,
                                    f"comes after the {self.required[last_rank]} section")
            last_rank = max(last_rank, rank)
            count = words[section.index]
            if count < self.min_words:
                held = "no words" if count == 0 else f"only {count} word{'s' if count > 1 else ''}"
                yield self._finding(letter, start, end, section.role, section.title,
                                    f"holds {held} (at least {self.min_words} expected)")
