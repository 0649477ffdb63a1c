"""metric: a number about the letter (or a scope of it) against ``min``/``max`` limits.

textstat is imported, and its cmudict loaded, only when a rule asks for a readability score.
"""
from __future__ import annotations

import re

from poalint.rules.kinds.base import Rule
from poalint.rules.thresholds import breach, parse_limits
from poalint.recurring import kept_for_recurring


#: A sentence's end mark, with any closing quotation mark or bracket after it.
_END_MARK = re.compile(r"[.!?][\"'”’)\]]*$")


def _reader_text(text: str, analysis) -> str:
    """A block's text as textstat is given it: each sentence as a reader counts it (a list item,
    a form line, a line of a letter written line by line; not cut at "e.g.") on a line of its own,
    given a full stop if it has no end mark, since textstat's sentences run up to . ! or ?."""
    sentences = []
    for sentence in analysis.sentences:
        if sentence.words:
            start, end = analysis.text_span(sentence.start, sentence.end)
            words = " ".join(text[start:end].split())
            sentences.append(words if _END_MARK.search(words) else words + ".")
    return "\n".join(sentences)


def _reader_texts(blocks) -> list[str]:
    """The prose of a scope as textstat is given it: each block's ``_reader_text``, no headings."""
    return [_reader_text(b.text, analysis) for b, analysis in blocks if b.kind != "heading"]


def _textstat(name: str):
    def score(blocks) -> float:
        import textstat

        text = "\n\n".join(_reader_texts(blocks))
        return round(float(getattr(textstat, name)(text)), 1) if text.strip() else 0.0
    return score


@kept_for_recurring
def _readability_counts(text: str) -> tuple[int, int, int]:
    """textstat's counts behind its Automated Readability Index: characters; words, counting
    punctuation-only ones (its characters per word divides by these); words."""
    import textstat

    return textstat.char_count(text), textstat.lexicon_count(text, removepunct=False), textstat.lexicon_count(text)


def _automated_readability_index(blocks) -> float:
    """The Automated Readability Index of the scope's ``_reader_texts``: textstat's formula and
    its counts of characters and words, summed block by block (a block that recurs from letter to
    letter, as an agency's boilerplate does, is counted once), over the sentences a reader counts
    (textstat would cut at "e.g." and skip sentences of one or two words)."""
    texts = [text for text in _reader_texts(blocks) if text]
    if not texts:
        return 0.0
    chars, tokens, words = map(sum, zip(*map(_readability_counts, texts)))
    per_word = chars / tokens if tokens else 0.0
    per_sentence = words / sum(text.count("\n") + 1 for text in texts)
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
           # textstat's formula and counts, over the sentences a reader counts.
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
