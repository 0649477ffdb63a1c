"""existence: flag every match of the rule's phrases, patterns or regex."""
from __future__ import annotations

from poalint.kinds.base import Rule
from poalint.kinds.matching import Matching


def normalise_match(text: str) -> str:
    return " ".join(text.split())


class Existence(Rule):
    kind = "existence"
    fields = frozenset({"match"})

    def __init__(self, spec, origin):
        super().__init__(spec, origin)
        self.matching = Matching(self)

    def compile(self, pipeline) -> None:
        self.matching.compile(pipeline)

    def matches(self, letter):
        """(start, end, matched text) for every match in the rule's scope."""
        source = letter.document.source
        for block, doc in letter.blocks(self.scope, quoted=self.include_quoted):
            for start, end in self.matching.spans(block, doc, letter):
                yield start, end, normalise_match(source[start:end])

    def check(self, letter):
        for start, end, match in self.matches(letter):
            yield letter.finding(self, start, end, self.render(self.message, match=match),
                                 self.render(self.suggestion, match=match))
