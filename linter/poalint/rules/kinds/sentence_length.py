"""sentence-length: every sentence over ``max`` words (headings and quotations aside)."""
from __future__ import annotations

from poalint.rules.kinds.base import Rule
from poalint.rules.matching.patterns import word_span
from poalint.rules.thresholds import breach, parse_limits


class SentenceLength(Rule):
    kind = "sentence-length"
    fields = frozenset({"words", "limit"})

    def __init__(self, spec, origin):
        super().__init__(spec, origin)
        self.maximums = parse_limits(spec["max"], self.severity)

    def check(self, letter):
        for block, analysis, sentence in letter.sentences(self.scope, quoted=self.include_quoted):
            words = sentence.words
            crossed = breach(words, self.maximums, [])
            if crossed:
                limit, severity, _ = crossed
                start, end = word_span(letter.document.source, *analysis.source_span(block, sentence.start, sentence.end))
                yield letter.finding(self, start, end, self.render(self.message, words=words, limit=limit),
                                     self.render(self.suggestion_for(letter, block, analysis, start, end),
                                                 words=words, limit=limit), severity)
