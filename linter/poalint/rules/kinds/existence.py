"""existence: flag every match of the rule's phrases, patterns or regex (in a sentence whose
features hold the rule's ``when:``, when it has one)."""
from __future__ import annotations

from poalint.analysis.features import Condition
from poalint.rules.kinds.base import Rule
from poalint.rules.matching.patterns import Matching


#: A match longer than this (a whole sentence the wording model chose) is shortened in a message.
MAX_SHOWN = 120


def normalise_match(text: str) -> str:
    return " ".join(text.split())


def shown(text: str) -> str:
    """A match or a sentence for a message: whitespace normalised, shortened at a word when long."""
    text = normalise_match(text)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN].rsplit(" ", 1)[0] + " …"


def parse_when(rule: Rule) -> Condition | None:
    """The rule's ``when:`` condition, or None; a bad key or value is the rule's error."""
    if "when" not in rule.spec:
        return None
    try:
        return Condition.parse(rule.spec["when"])
    except ValueError as exc:
        raise rule.error(str(exc), "when") from None


class Existence(Rule):
    kind = "existence"
    fields = frozenset({"match"})

    def __init__(self, spec, origin):
        super().__init__(spec, origin)
        self.matching = Matching(self)
        self.when = parse_when(self)

    def compile(self, pipeline) -> None:
        super().compile(pipeline)
        self.matching.compile(pipeline)

    def matches(self, letter):
        """(block, its analysis, start, end, matched prose) for every match in the rule's scope; the prose
        is read from the block, so a message shows "not our fault", not "not** our fault"."""
        for block, analysis in letter.blocks(self.scope, quoted=self.include_quoted):
            for start, end in self.matching.spans(block, analysis, letter):
                if self.when is not None:
                    view = letter.view_at(block, analysis, start)
                    if not self.when.holds(view.features, view.where):
                        continue
                yield block, analysis, start, end, shown(block.text[start - block.start:end - block.start])

    def check(self, letter):
        for block, analysis, start, end, match in self.matches(letter):
            yield letter.finding(self, start, end, self.render(self.message, match=match),
                                 self.render(self.suggestion_for(letter, block, analysis, start, end), match=match))
