"""metric: a number about the letter (or a scope of it) against ``min``/``max`` limits.

textstat is imported, and its cmudict loaded, only when a rule asks for a readability score.
"""
from __future__ import annotations

from poalint.rules.kinds.base import Rule
from poalint.rules.thresholds import breach, parse_limits
from poalint.recurring import kept_for_recurring


def _paragraphs(blocks) -> list[str]:
    """The prose of a scope as textstat is given it: paragraphs, each on one line, no headings."""
    return [" ".join(b.text.split()) for b, _ in blocks if b.kind != "heading"]


def _textstat(name: str):
    def score(blocks) -> float:
        import textstat

        text = "\n\n".join(_paragraphs(blocks))
        return round(float(getattr(textstat, name)(text)), 1) if text.strip() else 0.0
    return score


#: A sentence of three words: textstat counts it, and it ends before what follows it.
_ONE_SENTENCE = "One two three.\n\n"


@kept_for_recurring
def _readability_counts(text: str) -> tuple[int, int, int, int]:
    """textstat's counts behind its Automated Readability Index: characters; words, counting
    punctuation-only ones (its characters per word divides by these); words; sentences. textstat
    never counts fewer than one sentence in a text: counted after one of its own, the text's
    sentences are exact even when there are none."""
    import textstat

    return (textstat.char_count(text), textstat.lexicon_count(text, removepunct=False),
            textstat.lexicon_count(text), textstat.sentence_count(_ONE_SENTENCE + text) - 1)


def _sentence_runs(paragraphs: list[str]):
    """The paragraphs joined as textstat is given them, in runs cut after each paragraph that
    ends in . ! or ?: textstat's sentences run up to such marks, so none crosses a cut."""
    start = 0
    for end, paragraph in enumerate(paragraphs, 1):
        if paragraph.endswith((".", "!", "?")) or end == len(paragraphs):
            yield "\n\n".join(paragraphs[start:end])
            start = end


def _automated_readability_index(blocks) -> float:
    """textstat's Automated Readability Index of the scope's text, from textstat's counts of each
    run of its paragraphs, which are summed: the same value (tests/test_properties.py), but a run
    that recurs from letter to letter, as an agency's boilerplate does, is counted once."""
    paragraphs = _paragraphs(blocks)
    if not "".join(paragraphs).strip():
        return 0.0
    chars, tokens, words, sentences = map(sum, zip(*map(_readability_counts, _sentence_runs(paragraphs))))
    per_word = chars / tokens if tokens else 0.0
    per_sentence = words / max(1, sentences)
    if per_word == 0 or per_sentence == 0:
        return 0.0
    # The index's published formula, as the pinned textstat 0.7.8 computes it, term for term.
    return round((4.71 * per_word) + (0.5 * per_sentence) - 21.43, 1)


COUNTS = {
    "words": lambda blocks: sum(analysis.words() for _, analysis in blocks),
    "sentences": lambda blocks: sum(1 for b, analysis in blocks if b.kind != "heading"
                                    for sentence in analysis.sentences if sentence.words),
    "paragraphs": lambda blocks: sum(1 for b, _ in blocks if b.kind != "heading"),
}
READABILITY = ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index",
               "coleman_liau_index", "automated_readability_index", "dale_chall_readability_score")
METRICS = {**COUNTS, **{name: _textstat(name) for name in READABILITY},
           # The same score as textstat's of the whole text, summed from runs of paragraphs.
           "automated_readability_index": _automated_readability_index}


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
                             self.render(self.suggestion_for(letter), **values), severity, about_span=False)
