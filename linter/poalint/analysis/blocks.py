"""What is worked out once per distinct block text, and the one place that keeps it for reuse.

Letters kept together share paragraphs: an agency's templates and its letters copy the same
commitments, signatures and headings. All that is worked out from a block depends on its text
alone, so a ``BlockAnalysis`` (the Doc, where its tokens are in the text, its sentences and
words, the matches each rule keeps) is made once per text and handed again to every later block
of that text (``RecentBlocks``): a paragraph seen again is neither tokenised nor matched again.

What rules derive only on the way to their matches is the letter's, not the block's
(poalint.analysis.scratch).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple

from poalint.analysis.lexicon import plain

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from poalint.reading.document import Block

_NOT_SPACE = re.compile(r"\S+")
_WORD = re.compile(r"[^\W_]")
#: Whether a token text holds a letter or digit, by its string-store id.
_HAS_WORD_CHARACTER: dict[int, bool] = {}
#: A sentence this long may be a draft's run-on paragraph, its clauses joined by commas.
RUN_ON_WORDS = 40
#: The words that open a new clause after a comma in a run-on sentence ("…, I was the only one
#: printing labels, so anything …"); not "and" or "which", which mostly go on with the clause before,
#: unless a subject follows "and" soon ("…, and on 17 March I contacted …": _SUBJECTS, _SUBJECT_WITHIN).
_CLAUSE_OPENERS = frozenset({"i", "we", "our", "my", "so", "but", "this", "it", "here", "now", "since", "they"})
_SUBJECTS = frozenset({"i", "we", "they"})
#: The first words of a clause after ", but" that may take back what the clause before gave away:
#: "…, but we never checked it", "…, but the decision was ours", "…, but it was our job".
_CONCEDED_TO = frozenset({"i", "we", "our", "my", "it", "the", "that", "this"})
_SUBJECT_WITHIN = 6
#: A clause shorter than this stays with the one before ("…, I think, …").
_LEAST_CLAUSE_WORDS = 4
#: Where spaCy starts a token inside what a reader reads as one word: after a hyphen between
#: letters or digits ("follow-up", an order ID, a date) and at a clitic ("brand's", "don't").
_WITHIN_WORD = re.compile(r"(?<=[^\W_])(?:-(?=[^\W_])|(?=['’][^\W_])|(?=n['’]t\b))")

#: The Doc's ``user_data`` key under which ``tokenised`` leaves the sentence starts a reader sees
#: where spaCy would judge otherwise (token index → whether it starts a sentence), for the
#: pipeline to set (poalint.analysis.pipeline): spaCy sees the words joined by single spaces,
#: with the line breaks gone.
READER_SENTENCE_STARTS = "poalint_reader_sentence_starts"
#: An abbreviation's full stop, and where the next word starts. ``within``: titles, "e.g.", "No. 7",
#: "approx. 40", which never end a sentence; the others ("etc.", "Ltd.", "a.m.", "110 pcs.") end one
#: only before a capital letter, as "We buy from Farrow Ltd. Their invoices …" does, also after a
#: closing bracket or comma ("(110 pcs.), which …").
_ABBREVIATION = re.compile(
    r"(?<![\w.])(?:(?P<within>[eE]\.g|[iI]\.e|[aA]pprox|No|Nos|vs|cf|[iI]ncl|[eE]xcl|Mr|Mrs|Ms|Dr|Prof|Ref|Art)"
    r"|etc|Inc|Ltd|Co|Corp|GmbH|LLC|Pty|plc|PLC|St|[ap]\.m|pcs|pc|qty|pkg|pkt)\.[)\]]?[,;:]?\s+(?=\S)")
#: A web address broken by a space after its dot, as text copied from a PDF often is ("Amazon. com",
#: "amazon. co.uk"): the lower-case ending continues the sentence.
_BROKEN_ADDRESS = re.compile(r"(?<=\w)\.[ \t]+(?=(?:com|co|net|org|de|fr|it|es|ca|in|jp|cn|au|uk)\b)")
#: A form line ("Order ID: 114-…", "Seller name: …"): a capitalised label of up to five words, a
#: colon, and where its value starts.
_FORM_LINE = re.compile(r"[ \t]*[A-Z][\w'’&/#.()-]*(?: [\w'’&/#.()-]+){0,4}:(?:[ \t]+(?=\S)|[ \t]*$)", re.MULTILINE)
#: A line that stops mid-sentence: on a hyphen or a word that never ends one.
_STOPS_MID_SENTENCE = re.compile(
    r"(?:-|\b(?:and|or|but|nor|the|a|an|of|to|for|with|in|on|at|by|from|that|which|who|our|your|their|its|"
    r"my|we|is|are|was|were|be|been|as|than|this|these|those|because|so|if|when|while))\s*$", re.IGNORECASE)
_OPENS_SENTENCE = "[(\"“'‘"


def _starts_like_a_sentence(line: str) -> bool:
    opening = line.lstrip()[0]
    return opening.isalnum() and not opening.islower() or opening in _OPENS_SENTENCE


def _line_sentence_starts(text: str) -> list[int]:
    """Offsets in ``text`` of the lines a reader reads as starting a sentence though the line
    before has no full stop, if they start as a sentence does (not in lower case) and the line
    before does not stop on "and", "the" …: after a line ending in a colon, after a form line or
    before one; and, in a text written line by line (some line break came where the next word
    would still have fitted: not a hard wrap), every line but one after a comma. A hard-wrapped
    paragraph, whose lines are full, keeps its sentences across lines."""
    lines = text.split("\n")
    widths = [len(line.rstrip()) for line in lines]
    # Wrapping tools leave lines a little short of their width: a word that would have fitted
    # with a tenth of the width to spare was moved to the next line on purpose.
    room = max(widths) - max(widths) // 10
    breaks, offset = [], 0  # (line, whether the next line's first word fits on it, next line, its offset)
    for line, width, following in zip(lines, widths, lines[1:]):
        offset += len(line) + 1
        first = following.split(maxsplit=1)
        if width and first:
            breaks.append((line.rstrip(), width + 1 + len(first[0]) <= room, following,
                           offset + len(following) - len(following.lstrip())))
    written_by_line = any(fits and not line.endswith((".", "!", "?")) and _starts_like_a_sentence(following)
                          for line, fits, following, _ in breaks)
    return [start for line, fits, following, start in breaks
            if _starts_like_a_sentence(following) and not _STOPS_MID_SENTENCE.search(line)
            and (fits or line.endswith(":") or _FORM_LINE.match(line) or _FORM_LINE.match(following)
                 or written_by_line and not line.endswith(","))]


def reader_sentence_starts(text: str, starts: list[int]) -> dict[int, bool]:
    """Which tokens (by index; ``starts`` are their offsets in ``text``) start a sentence as a
    reader reads ``text``, or do not, where spaCy may judge otherwise: after an abbreviation's
    full stop, at a form line's value (a trained parser may start a sentence there), inside a
    web address broken after its dot, and at line breaks (``_line_sentence_starts``)."""
    found: dict[int, bool] = {}

    def mark(offset: int, starts_sentence: bool) -> None:
        i = bisect_left(starts, offset)
        if 0 < i < len(starts) and starts[i] == offset:
            found[i] = starts_sentence

    for match in _ABBREVIATION.finditer(text):
        following = text[match.end()]
        if match["within"] or following.islower() or following.isdigit():
            mark(match.end(), False)
        elif following.isupper():
            mark(match.end(), True)
    for match in (*_FORM_LINE.finditer(text), *_BROKEN_ADDRESS.finditer(text)):
        mark(match.end(), False)
    if "\n" in text:
        for offset in _line_sentence_starts(text):
            mark(offset, True)
    return found


class Sentence(NamedTuple):
    """One sentence of a block's Doc: its tokens ``start`` to ``end`` and how many are words."""

    start: int
    end: int
    words: int


@dataclass(eq=False)
class BlockAnalysis:
    """A block text after NLP, with what rules work out from it, once per distinct text."""

    doc: "Doc"
    #: Where each token of ``doc`` starts and ends, as offsets into the block's text.
    starts: list[int]
    ends: list[int]
    #: The matches each rule's Matching keeps in this text (offsets into it), by the Matching's
    #: key: a block of the same text in a later letter gets them without matching again.
    matches: dict[object, list[tuple[int, int]]] = field(default_factory=dict)
    #: Whether each sentence (by its first token) holds a template slot of a rule's, by the rule's
    #: key (poalint.rules.kinds.content): worked out once per text, like the matches.
    slots: dict[object, dict[int, bool]] = field(default_factory=dict)
    #: Each sentence's SentenceFeatures (poalint.analysis.features), worked out when a rule first asks.
    features: list | None = None
    #: Each sentence's wording label and its probability (poalint.analysis.wording_model), likewise.
    wording: list | None = None
    #: Each sentence's dates (poalint.analysis.dates.SentenceDates), likewise.
    dates: list | None = None

    @classmethod
    def tokenised(cls, nlp: "Language", text: str) -> "BlockAnalysis":
        """Tokens of ``text`` with no whitespace tokens, remembering where each token is; the
        pipeline's components are still to run on the Doc.

        Masked markup and line breaks leave runs of spaces; without them "**not** our fault" and
        a phrase wrapped over two lines read as the plain phrase to every matcher and to the
        sentencizer. spaCy's tokenizer splits at whitespace (str.isspace, as \\s) and makes a token
        of every run but a single space, so each run becomes one space before tokenising: the words
        are tokenised exactly as when written with single spaces. (That is also what dropping
        spaCy's whitespace tokens gives, but for one quirk: spaCy merges a special case such as
        ":)" after "it)" only when a whitespace token stands between them.)
        """
        words = text.split()  # at runs of str.isspace characters, as \s+ in a str pattern
        joined = " ".join(words)
        doc = nlp.make_doc(joined)
        starts, lengths = doc.to_array(["IDX", "LENGTH"]).T.tolist()
        if joined != text:
            # A token lies within one word, which moved left by the whitespace removed before it.
            joined_starts = list(accumulate((len(word) + 1 for word in words[:-1]), initial=0))
            shifts = [match.start() - joined_start
                      for match, joined_start in zip(_NOT_SPACE.finditer(text), joined_starts)]
            starts = [start + shifts[bisect_right(joined_starts, start) - 1] for start in starts]
        reader_starts = reader_sentence_starts(text, starts)
        if reader_starts:
            doc.user_data[READER_SENTENCE_STARTS] = reader_starts
        return cls(doc, starts, [start + length for start, length in zip(starts, lengths)])

    def text_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets into the block's text of tokens ``start`` to ``end`` (exclusive)."""
        return self.starts[start], self.ends[end - 1]

    def source_span(self, block: "Block", start: int, end: int) -> tuple[int, int]:
        """File offsets of tokens ``start`` to ``end`` (exclusive) of ``block``, of this text."""
        in_text_start, in_text_end = self.text_span(start, end)
        return block.start + in_text_start, block.start + in_text_end

    @cached_property
    def word_flags(self) -> list[bool]:
        """Whether each token starts a word as a reader counts words (neither space nor
        punctuation, holding a letter or digit, and not joined to the word before by a hyphen or
        an apostrophe: "follow-up", an order ID, a date and "brand's" are one word each): several rules count words. Read
        as arrays, since each spaCy Token read from Python is an object made anew."""
        strings, known = self.doc.vocab.strings, _HAS_WORD_CHARACTER
        flags = []
        for orth, space, punct in self.doc.to_array(["ORTH", "IS_SPACE", "IS_PUNCT"]).tolist():
            has = known.get(orth)
            if has is None:
                has = known[orth] = bool(_WORD.search(strings[orth]))
            flags.append(has and not space and not punct)
        text = self.doc.text
        if "-" in text or "'" in text or "’" in text:
            joined = [match.end() for match in _WITHIN_WORD.finditer(text)]
            if joined:
                token_starts = self.doc.to_array("IDX")
                for i, offset in zip(token_starts.searchsorted(joined).tolist(), joined):
                    if i < len(flags) and token_starts[i] == offset:
                        flags[i] = False
        return flags

    def words(self, start: int = 0, end: int | None = None) -> int:
        """The words among tokens ``start`` to ``end``."""
        return sum(self.word_flags[start:end])

    @cached_property
    def lower_words(self) -> list[str]:
        """Each token in lower case, apostrophes straight, as the analysis's word lists write
        words (poalint.analysis.lexicon.plain)."""
        return [plain(token.text) for token in self.doc]

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Every sentence: several rules and metrics read them, and spaCy makes each sentence
        Span anew."""
        # From the SENT_START array, as Doc.sents decides (a sentence starts at token 0 and at each
        # token marked 1) without making a Token object of every token.
        starts = [i for i, start in enumerate(self.doc.to_array("SENT_START").tolist()) if start == 1 or i == 0]
        ends = starts[1:] + [len(self.doc)]
        return [Sentence(start, end, self.words(start, end)) for start, end in zip(starts, ends)]

    def _subject_soon(self, start: int, end: int) -> bool:
        """Whether a subject (I, we, they) comes within a few words of ``start``, before a comma."""
        for word in self.lower_words[start:min(end, start + _SUBJECT_WITHIN)]:
            if word == ",":
                return False
            if word in _SUBJECTS:
                return True
        return False

    def clauses(self, sentence: Sentence) -> list[Sentence]:
        """The comma-spliced clauses of a run-on sentence ("…, we checked every order, I was the
        only person printing labels, so …") and, in any sentence, the clause after a concession
        ("The advice came from the agency, but the decision was ours"), each of which may say what
        the whole cannot; any other sentence is its own only clause."""
        lower = self.lower_words
        run_on = sentence.words >= RUN_ON_WORDS
        # (where a clause ends, where the next starts): one opened by "and" or "but" starts after it,
        # so that its subject is its first word
        cuts = []
        for i in range(sentence.start, sentence.end - 1):
            if lower[i] == "," and lower[i + 1] == "but" and i + 2 < sentence.end and lower[i + 2] in _CONCEDED_TO:
                cuts.append((i + 1, i + 2))
            elif not run_on:
                continue
            elif lower[i] == "," and lower[i + 1] in _CLAUSE_OPENERS:
                cuts.append((i + 1, i + 1))
            elif lower[i] == "," and lower[i + 1] == "and" and self._subject_soon(i + 2, sentence.end):
                cuts.append((i + 1, i + 2))
        if not cuts:
            return [sentence]
        ends = [end for end, _ in cuts] + [sentence.end]
        clauses: list[Sentence] = []
        for start, end in zip([sentence.start] + [begin for _, begin in cuts], ends):
            if clauses and min(clauses[-1].words, self.words(start, end)) < _LEAST_CLAUSE_WORDS:
                start = clauses.pop().start
            clauses.append(Sentence(start, end, self.words(start, end)))
        return clauses


class RecentBlocks:
    """The analyses of the block texts analysed last, up to a total length of text."""

    def __init__(self, max_characters: int):
        self.max_characters = max_characters
        self._kept: OrderedDict[str, BlockAnalysis] = OrderedDict()  # least recently used first
        self._characters = 0

    def __len__(self) -> int:
        return len(self._kept)

    def __contains__(self, text: str) -> bool:
        return text in self._kept

    def get(self, text: str) -> BlockAnalysis:
        self._kept.move_to_end(text)
        return self._kept[text]

    def add(self, text: str, analysis: BlockAnalysis) -> None:
        self._kept[text] = analysis
        self._characters += len(text)
        while self._characters > self.max_characters:
            oldest, _ = self._kept.popitem(last=False)
            self._characters -= len(oldest)
