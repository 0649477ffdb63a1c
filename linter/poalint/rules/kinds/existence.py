"""existence: flag every match of the rule's phrases, patterns or regex."""
from __future__ import annotations

from poalint.rules.kinds.base import Rule
from poalint.rules.matching.patterns import Matching


def normalise_match(text: str) -> str:
    return " ".join(text.split())


class Existence(Rule):
    kind = "existence"
    fields = frozenset({"match"})

    def __init__(self, spec, origin):
        super().__init__(spec, origin)
        self.matching = Matching(self)

    def compile(self, pipeline) -> None:
        super().compile(pipeline)
        self.matching.compile(pipeline)

    def matches(self, letter):
        """(block, its analysis, start, end, matched prose) for every match in the rule's scope; the prose
        is read from the block, so a message shows "not our fault", not "not** our fault"."""
        for block, analysis in letter.blocks(self.scope, quoted=self.include_quoted):
            for start, end in self.matching.spans(block, analysis, letter):
                yield block, analysis, start, end, normalise_match(block.text[start - block.start:end - block.start])

    def check(self, letter):
        for block, analysis, start, end, match in self.matches(letter):
            yield letter.finding(self, start, end, self.render(self.message, match=match),
                                 self.render(self.suggestion_for(letter, block, analysis, start, end), match=match))
