"""sentence: every sentence whose features hold the rule's ``when:`` (docs/rule-language.md#when)
and, when the rule has phrases, patterns or regex, that holds a match of them."""
from __future__ import annotations

from poalint.rules.kinds.base import Rule
from poalint.rules.kinds.existence import normalise_match, parse_when, shown
from poalint.rules.matching.patterns import Matching, word_span


class Sentence(Rule):
    kind = "sentence"
    fields = frozenset({"sentence", "match"})

    def __init__(self, spec, origin):
        super().__init__(spec, origin)
        self.when = parse_when(self)
        self.matching = Matching(self) if any(spec.get(key) for key in ("phrases", "patterns", "regex")) else None

    def compile(self, pipeline) -> None:
        super().compile(pipeline)
        if self.matching is not None:
            self.matching.compile(pipeline)

    def check(self, letter):
        source = letter.document.source
        for view in letter.sentence_views(self.scope, quoted=self.include_quoted):
            if not self.when.holds(view.features, view.where):
                continue
            start, end = word_span(source, *view.span)
            if self.matching is not None:
                inside = [(s, e) for s, e in self.matching.spans(view.block, view.analysis, letter)
                          if start <= s < end]
                if not inside:
                    continue
                start, end = inside[0]
            sentence, match = shown(source[slice(*view.span)]), normalise_match(source[start:end])
            yield letter.finding(self, start, end, self.render(self.message, sentence=sentence, match=match),
                                 self.render(self.suggestion_for(letter, view.block, view.analysis, start, end),
                                             sentence=sentence, match=match))
