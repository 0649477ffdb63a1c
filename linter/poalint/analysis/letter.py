"""A Letter is a Document after NLP: what compiled rules look at, and how they make findings."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator, NamedTuple

from poalint.analysis.blocks import BlockAnalysis, Sentence
from poalint.analysis.actors import Words
from poalint.analysis.dates import sentence_dates
from poalint.analysis.features import SentenceFeatures, Where, features_of, sentence_features
from poalint.analysis.lexicon import lexicon
from poalint.reading.document import Block, Document
from poalint.reporting.findings import Finding, Severity
from poalint.reading.sections import OPENING, OTHER


@dataclass(frozen=True)
class Scope:
    """Which part of the letter a rule reads: ``letter``, ``opening``, ``sentence`` or section roles."""

    kind: str = "letter"
    roles: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, value) -> "Scope":
        if isinstance(value, dict):
            return cls("sections", frozenset(value["sections"]))
        return cls(value or "letter")

    def describe(self) -> str:
        return ", ".join(sorted(self.roles)) + " sections" if self.kind == "sections" else self.kind


class SentenceView(NamedTuple):
    """One sentence of a letter with its features and its place."""

    block: Block
    analysis: BlockAnalysis
    sentence: Sentence
    features: SentenceFeatures
    where: Where

    @property
    def span(self) -> tuple[int, int]:
        """File offsets of the sentence."""
        return self.analysis.source_span(self.block, self.sentence.start, self.sentence.end)


#: A date without a year this many months after the notice's month is taken to be of the year before.
_MONTHS_A_STEP_MAY_FOLLOW = 4
#: In the sentence of Amazon's act, a date up to this many days before it belongs to the same notice
#: (a metric's window); one further back is context (a recall, a purchase).
_NOTICE_WINDOW_DAYS = 31


def _days(date: tuple[int, int, int]) -> int:
    """A count of days that orders dates and measures short gaps between them (every month as 31 days)."""
    year, month, day = date
    return (year * 12 + month) * 31 + day

#: A salutation ("Dear Seller Performance Team,") is this short at most.
_SALUTATION_WORDS = 6


@dataclass
class Letter:
    document: Document
    #: Each block, with the analysis of its text.
    analysed: list[tuple[Block, BlockAnalysis]]
    #: Numbers reported with the letter; metric rules add the scores they compute.
    metrics: dict = field(default_factory=dict)
    #: The suspension reasons the letter is linted for (ids; rules pick suggestions by them).
    reasons: tuple[str, ...] = ()
    #: The sentence views made so far, by (id of the block, sentence index).
    _views: dict[tuple[int, int], SentenceView] = field(default_factory=dict, repr=False)
    _clause_views: dict[tuple[int, int], list[SentenceView]] = field(default_factory=dict, repr=False)

    # What the rules read -------------------------------------------------------------------
    def blocks(self, scope: Scope, *, headings: bool = True,
               quoted: bool = False) -> list[tuple[Block, BlockAnalysis]]:
        if scope.kind == "sections":
            wanted = {s.index for s in self.document.sections if s.role in scope.roles}
        elif scope.kind == "opening":
            wanted = set()
            for section in self.document.sections:
                if section.role not in (OPENING, OTHER):
                    break
                wanted.add(section.index)
        else:
            wanted = None
        return [(b, d) for b, d in self.analysed
                if (wanted is None or b.section in wanted)
                and (headings or b.kind != "heading") and (quoted or not b.quoted)]

    def sentences(self, scope: Scope, *, headings: bool = False,
                  quoted: bool = False) -> Iterator[tuple[Block, BlockAnalysis, Sentence]]:
        """The sentences of the scope that hold a word."""
        for block, analysis in self.blocks(scope, headings=headings, quoted=quoted):
            for sentence in analysis.sentences:
                if sentence.words:
                    yield block, analysis, sentence

    def sentence_views(self, scope: Scope, *, headings: bool = False,
                       quoted: bool = False) -> Iterator[SentenceView]:
        """The sentences of the scope that hold a word, with their features and place."""
        for block, analysis in self.blocks(scope, headings=headings, quoted=quoted):
            for index, sentence in enumerate(analysis.sentences):
                if sentence.words:
                    yield self.view(block, analysis, index)

    def view(self, block: Block, analysis: BlockAnalysis, index: int) -> SentenceView:
        """Sentence ``index`` of a block, with its features and place (made once: most rules
        that judge sentences read the same ones)."""
        key = (id(block), index)
        if key not in self._views:
            self._views[key] = self._view(block, analysis, index)
        return self._views[key]

    def _view(self, block: Block, analysis: BlockAnalysis, index: int) -> SentenceView:
        sentence = analysis.sentences[index]
        start, end = analysis.source_span(block, sentence.start, sentence.end)
        dated_before_notice, period_before_notice = self._before_notice(analysis, index)
        where = Where(heading=block.kind == "heading", list_item=block.kind == "item",
                      quoted=block.quoted or self.document.within_quotation(start, end),
                      position=self.positions[id(block)], role=self._roles.get(block.section, OTHER),
                      dated_before_notice=dated_before_notice, period_before_notice=period_before_notice)
        return SentenceView(block, analysis, sentence, sentence_features(analysis)[index], where)

    def _before_notice(self, analysis: BlockAnalysis, index: int) -> tuple[bool, bool]:
        """Whether sentence ``index`` is dated and every date of it falls before the notice; and
        whether it also tells of a period ("between 3 and 14 May", "from 1 to 20 August"). A
        month without its day counts as the month's end; a date without a year is in the notice's
        year, or the year before when that would put it months after the notice ("November 18" in
        a letter about a January deactivation). An undated sentence takes the time of the last dated
        one before it in its paragraph, as the story goes on ("On 18 November we moved our labels to
        a new tool. I imported the old presets myself."), unless it turns to the present ("Since
        then …", "we have …")."""
        dates = sentence_dates(analysis)[index]
        if not dates.approximate:
            told_after = next((earlier for earlier in range(index - 1, -1, -1)
                               if sentence_dates(analysis)[earlier].approximate), None)
            return dates.goes_on and told_after is not None and self._before_notice(analysis, told_after)[0], False
        notice = self.notice_date
        if notice is None:
            return False, False
        before = all((year or (notice[0] - 1 if month - notice[1] > _MONTHS_A_STEP_MAY_FOLLOW else notice[0]),
                      month, day) < notice for year, month, day in dates.approximate)
        return before, before and dates.period

    @cached_property
    def notice_date(self) -> tuple[int, int, int] | None:
        """The earliest date the letter gives to an act of Amazon's (the deactivation, a warning,
        a rejected plan), as (year, month, day); None when it dates none, or gives no year. What
        the seller did before it is the story of the failure, not a step taken since. Of a
        sentence's dates, the earliest in the month up to the one nearest the word of Amazon's act:
        in "deactivated on 24 June for a rate over the 7 days ending 20 June" the notice is the
        window's end, but in "deactivated on 19 March 2026 for a seat recalled on 14 November 2025"
        the recall is context, months before."""
        earliest = None
        actions = lexicon()["amazon-actions"]
        for block, analysis in self.analysed:
            if block.kind == "heading" or block.quoted:
                continue
            for index, dates in enumerate(sentence_dates(analysis)):
                exact = [(at, date) for at, date in dates.exact if date[0] is not None]
                if exact and sentence_features(analysis)[index].amazon_action:
                    sentence = analysis.sentences[index]
                    begins = analysis.doc[sentence.start].idx
                    acts = [analysis.doc[start].idx - begins
                            for start, _ in actions.spans(analysis.lower_words, sentence.start, sentence.end)]
                    nearest = min(exact, key=lambda found: min((abs(found[0] - act) for act in acts), default=0))[1]
                    told = min(date for _, date in exact if 0 <= _days(nearest) - _days(date) <= _NOTICE_WINDOW_DAYS)
                    earliest = min(earliest, told) if earliest else told
        return earliest

    def clause_views(self, view: SentenceView) -> list[SentenceView]:
        """The clauses of a run-on sentence or of a concession (BlockAnalysis.clauses), each with
        its own features and the sentence's place; none for a sentence of one clause. Made once:
        each section rule may ask."""
        key = (id(view.block), view.sentence.start)
        if key not in self._clause_views:
            clauses = view.analysis.clauses(view.sentence)
            lists = lexicon()
            self._clause_views[key] = [] if len(clauses) == 1 else [
                SentenceView(view.block, view.analysis, clause,
                             features_of(Words.of(view.analysis.doc[clause.start:clause.end]), lists), view.where)
                for clause in clauses]
        return self._clause_views[key]

    def view_at(self, block: Block, analysis: BlockAnalysis, offset: int) -> SentenceView:
        """The sentence of a block that holds file offset ``offset``."""
        in_text = offset - block.start
        index = next((i for i, s in enumerate(analysis.sentences) if analysis.text_span(s.start, s.end)[1] > in_text),
                     len(analysis.sentences) - 1)
        return self.view(block, analysis, index)

    @cached_property
    def _roles(self) -> dict[int, str]:
        return {section.index: section.role for section in self.document.sections}

    @cached_property
    def positions(self) -> dict[int, str]:
        """"opening", "closing" or "body" for each block (by id).

        The opening is what comes before the first heading (in a letter without headings: the
        first paragraph, and the salutation before it). The closing runs from the first block of
        the letter's second half that holds a closing formula ("Thank you for your time",
        "Sincerely") to the end, and takes in the sections after the last one with a role."""
        blocks = [block for block, _ in self.analysed]
        positions = {id(block): "body" for block in blocks}
        headed = any(block.kind == "heading" for block in blocks)
        for i, block in enumerate(blocks):
            if headed and block.section == 0 or not headed and (
                    i == 0 or i == 1 and len(blocks[0].text.split()) <= _SALUTATION_WORDS):
                positions[id(block)] = "opening"
        roles = self._roles
        last_role = max((block.section for block in blocks if roles.get(block.section) not in (OPENING, OTHER)),
                        default=None)
        formulas = lexicon()["closing-formulas"]
        closing_from = next((i for i, (block, analysis) in enumerate(self.analysed)
                             if 2 * i >= len(blocks) - 1 and block.kind != "heading"
                             and formulas.found_in(analysis.lower_words)), len(blocks))
        for i, block in enumerate(blocks):
            trailing = last_role is not None and block.section > last_role and roles.get(block.section) == OTHER
            if i >= closing_from or trailing:
                positions[id(block)] = "closing"
        return positions

    def has_role(self, roles) -> bool:
        return any(s.role in roles for s in self.document.sections)

    def anchor(self, scope: Scope) -> tuple[int, int]:
        """Where a finding about a missing thing points: the scope's heading, else the first line."""
        if scope.kind == "sections":
            for section in self.document.sections:
                if section.role in scope.roles and section.heading is not None:
                    return section.heading.start, section.heading.start + len(section.heading.text.rstrip())
        source = self.document.source
        # The letter's first line of text (front matter is not the letter).
        first = self.document.blocks[0].start if self.document.blocks else len(source) - len(source.lstrip())
        end = source.find("\n", first)
        end = len(source) if end < 0 else end
        return first, (end - 1 if source[end - 1:end] == "\r" else end)

    # Findings --------------------------------------------------------------------------------
    def finding(self, rule, start: int, end: int, message: str, suggestion: str | None,
                severity: Severity | None = None, *, about_span: bool = True, fix: str | None = None,
                fix_safe: bool = False) -> Finding:
        document = self.document
        line, column = document.position(start)
        end_line, end_column = document.position(end)
        return Finding(
            start=start, end=end, line=line, column=column, end_line=end_line, end_column=end_column,
            rule=rule.id, severity=severity or rule.severity, message=message, suggestion=suggestion,
            text=document.source[start:end] if about_span else None, fix=fix, fix_safe=fix_safe,
        )
