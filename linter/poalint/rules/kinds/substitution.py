"""substitution: like existence (``when:`` included), with a replacement for each match (``swap``: phrase → replacement)."""
from __future__ import annotations

from poalint.rules.kinds.existence import Existence
from poalint.rules.matching.patterns import Matching, word_span


def match_case(replacement: str, original: str) -> str:
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


class Substitution(Existence):
    kind = "substitution"
    fields = frozenset({"match", "replacement"})

    def __init__(self, spec, origin):
        super().__init__(spec, origin)
        # Keyed as a match reads: its words only, since a span does not end on punctuation.
        self.swap = {" ".join(k[slice(*word_span(k, 0, len(k)))].lower().split()): v for k, v in spec["swap"].items()}
        self.matching = Matching(self, phrases=list(self.swap))
        self.safe_fix: bool = spec.get("fix", "unsafe") == "safe"

    def check(self, letter):
        source = letter.document.source
        for block, analysis, start, end, match in self.matches(letter):
            replacement = match_case(self.swap.get(match.lower(), ""), match)
            # Only a span of plain prose can be replaced without losing markup or line breaks.
            fixable = source[start:end] == match
            yield letter.finding(self, start, end,
                                 self.render(self.message, match=match, replacement=replacement),
                                 self.render(self.suggestion_for(letter, block, analysis, start, end)
                                             or "Write “{replacement}”.",
                                             match=match, replacement=replacement),
                                 fix=replacement if fixable else None, fix_safe=self.safe_fix)
