"""required: the scope must contain at least ``min`` matches, or one finding says it doesn't.

Headings never count: a letter that copies Amazon's "Root Cause" heading over nothing has no
root cause. With ``scope: sentence`` the matches must fall in one sentence.
"""
from __future__ import annotations

from poalint.rules.kinds.base import Rule
from poalint.rules.matching.patterns import Matching
from poalint.analysis.letter import Scope


class Required(Rule):
    kind = "required"
    fields = frozenset({"min", "count", "scope"})

    def __init__(self, spec, origin):
        super().__init__(spec, origin)
        self.matching = Matching(self)
        self.min: int = spec.get("min", 1)
        self.when_section_missing: str = spec.get("when_section_missing", "letter")
        self.variables_count: bool = spec.get("template_variables_count", False)

    def compile(self, pipeline) -> None:
        super().compile(pipeline)
        self.matching.compile(pipeline)

    def count(self, letter, scope: Scope) -> int:
        text_scope = Scope() if scope.kind == "sentence" else scope
        best = total = 0
        variables = letter.document.variables if self.variables_count else []
        for block, analysis in letter.blocks(text_scope, headings=False, quoted=self.include_quoted):
            spans = self.matching.spans(block, analysis, letter)
            spans += [v for v in variables if block.start <= v[0] and v[1] <= block.end]
            total += len(spans)
            if scope.kind == "sentence":
                for sentence in analysis.sentences:
                    lo, hi = analysis.source_span(block, sentence.start, sentence.end)
                    best = max(best, sum(1 for s, e in spans if lo <= s and e <= hi))
        return best if scope.kind == "sentence" else total

    def check(self, letter):
        scope = self.scope
        if scope.kind == "sections" and not letter.has_role(scope.roles):
            if self.when_section_missing == "skip":
                return
            scope = Scope()
        count = self.count(letter, scope)
        if count < self.min:
            start, end = letter.anchor(scope)
            values = {"min": self.min, "count": count, "scope": scope.describe()}
            yield letter.finding(self, start, end, self.render(self.message, **values),
                                 self.render(self.suggestion_for(letter), **values), about_span=False)
