"""headings: a letter long enough to need sections that has no heading of the given roles.

Its content is judged anyway, sentence by sentence, by the ``content`` rules; this kind only
says that a reviewer skimming the letter cannot see where each part is.
"""
from __future__ import annotations

from poalint.analysis.letter import Scope
from poalint.rules.kinds.base import Rule


class Headings(Rule):
    kind = "headings"
    fields = frozenset({"words", "limit"})

    def __init__(self, spec, origin):
        super().__init__(spec, origin)
        self.roles = frozenset(spec["roles"])
        self.max_words: int = spec["max_words"]

    def check(self, letter):
        if any(s.heading is not None and s.role in self.roles for s in letter.document.sections):
            return
        words = sum(analysis.words() for _, analysis in letter.blocks(Scope(), headings=False))
        if words > self.max_words:
            start, end = letter.anchor(Scope())
            values = {"words": words, "limit": self.max_words}
            yield letter.finding(self, start, end, self.render(self.message, **values),
                                 self.render(self.suggestion_for(letter), **values), about_span=False)
