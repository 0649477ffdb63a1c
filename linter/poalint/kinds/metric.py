"""metric: a number about the letter (or a scope of it) against ``min``/``max`` limits.

textstat is imported, and its cmudict loaded, only when a rule asks for a readability score.
"""
from __future__ import annotations

from poalint.kinds.base import Rule
from poalint.kinds.thresholds import breach, parse_limits
from poalint.letter import sentences_of, word_count


def _textstat(name: str):
    def score(blocks) -> float:
        import textstat

        text = "\n\n".join(" ".join(b.text.split()) for b, _ in blocks if b.kind != "heading")
        return round(float(getattr(textstat, name)(text)), 1) if text.strip() else 0.0
    return score


COUNTS = {
    "words": lambda blocks: sum(word_count(doc) for _, doc in blocks),
    "sentences": lambda blocks: sum(1 for b, doc in blocks if b.kind != "heading"
                                    for sentence in sentences_of(doc) if sentence.words),
    "paragraphs": lambda blocks: sum(1 for b, _ in blocks if b.kind != "heading"),
}
READABILITY = ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index",
               "coleman_liau_index", "automated_readability_index", "dale_chall_readability_score")
METRICS = {**COUNTS, **{name: _textstat(name) for name in READABILITY}}


class Metric(Rule):
    kind = "metric"
    fields = frozenset({"metric", "value", "limit", "bound"})

    def __init__(self, spec, origin):
        super().__init__(spec, origin)
        self.metric: str = spec["metric"]
        self.maximums = parse_limits(spec.get("max"), self.severity)
        self.minimums = parse_limits(spec.get("min"), self.severity)

    def measure(self, letter) -> float:
        """The metric over the rule's scope; a whole-letter value is computed once per letter
        (the engine already counts words, sentences and paragraphs) and reported with it."""
        if self.scope.kind == "letter" and self.metric in letter.metrics:
            return letter.metrics[self.metric]
        value = METRICS[self.metric](letter.blocks(self.scope, quoted=True))
        if self.scope.kind == "letter":
            letter.metrics[self.metric] = value
        return value

    def check(self, letter):
        value = self.measure(letter)
        crossed = breach(value, self.maximums, self.minimums)
        if crossed is None:
            return
        limit, severity, bound = crossed
        values = {"metric": self.metric, "value": value, "limit": limit, "bound": bound}
        start, end = letter.anchor(self.scope)
        yield letter.finding(self, start, end, self.render(self.message, **values),
                             self.render(self.suggestion, **values), severity, about_span=False)
